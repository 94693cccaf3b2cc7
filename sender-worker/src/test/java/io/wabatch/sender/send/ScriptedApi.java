package io.wabatch.sender.send;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.wabatch.common.api.ApiEndpoint;
import io.wabatch.common.api.ApiResult;
import io.wabatch.common.api.MediaInfo;
import io.wabatch.common.api.MediaUploaded;
import io.wabatch.common.api.MessageAccepted;
import io.wabatch.common.api.WhatsAppClient;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * An API for the send handler's unit tests: answers {@code send} from a script, then accepts (a
 * wamid per call); records every body. Called on the handler's context. Sends only by {@code /messages}.
 */
final class ScriptedApi implements WhatsAppClient {

    final Deque<ApiResult<MessageAccepted>> answers = new ArrayDeque<>();
    final List<ObjectNode> bodies = new ArrayList<>();
    private final ApiEndpoint endpoint;

    ScriptedApi(ApiEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public ApiEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public Future<ApiResult<MessageAccepted>> send(ObjectNode body) {
        bodies.add(body);
        return Future.succeededFuture(answers.isEmpty()
                ? ApiResult.ok(new MessageAccepted("wamid." + bodies.size(), body.path("to").asText(), "accepted"))
                : answers.poll());
    }

    @Override
    public Future<ApiResult<MessageAccepted>> sendMarketing(ObjectNode body) {
        throw new UnsupportedOperationException("the channel sends by /messages");
    }

    @Override
    public Future<ApiResult<MediaUploaded>> upload(Path file, String mimeType, String filename) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Future<ApiResult<MediaInfo>> mediaInfo(String mediaId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Future<ApiResult<Boolean>> deleteMedia(String mediaId) {
        throw new UnsupportedOperationException();
    }
}
