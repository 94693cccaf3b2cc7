package io.wabatch.common.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import java.nio.file.Path;

/**
 * Calls the WhatsApp Business API of one channel (one number, one {@link ApiEndpoint}) over a
 * shared, pooled Vert.x {@code WebClient}. Build it with {@link WhatsAppClients#create}.
 *
 * <p><b>Errors are data.</b> Every answer of the API, error or not, and every missing answer
 * (connection refused or reset, timeout, full connection pool) completes the future
 * <em>successfully</em> with an {@link ApiResult}: {@link ApiResult.Ok} or {@link ApiResult.Failed}
 * carrying an {@link ApiError} ({@link ApiError#transport()} true when no answer came). Decide what
 * to do with {@link ErrorClassifier#classify}. The future fails only for local problems before
 * anything was sent (a file that cannot be read, a body that cannot be serialised); invalid
 * arguments throw at once.
 *
 * <p><b>Threading.</b> Thread-safe; call from any thread. Called on a Vert.x context (an event
 * loop or a worker), the future completes on that context; called from another thread, on an
 * event-loop context Vert.x picks for the call. Handlers must not block.
 *
 * <p><b>Timeouts.</b> A connection must be obtained within {@link ClientOptions#connectTimeout()}
 * (else {@link TransportFailure#CONNECT_TIMEOUT}, never sent); the answer must follow within
 * {@link ClientOptions#requestTimeout()}, or {@link ClientOptions#uploadTimeout()} for uploads
 * (else {@link TransportFailure#RESPONSE_TIMEOUT}, in doubt).
 *
 * <p>The credential goes on each request and never into logs or {@link ApiError#details()};
 * requests are logged at DEBUG with method, path, status and duration only.
 */
public interface WhatsAppClient {

    /** The endpoint this client calls. */
    ApiEndpoint endpoint();

    /**
     * {@code POST messages}. The body is the complete message (with {@code messaging_product},
     * {@code to}, {@code type}, ...), serialised once as sent; it is not validated here.
     *
     * @return the accepted message's ids; acceptance is not delivery (facts §2)
     */
    Future<ApiResult<MessageAccepted>> send(ObjectNode body);

    /**
     * {@code POST marketing_messages}: the Marketing Messages API for WhatsApp, for marketing
     * templates only (facts §10); same body and answer as {@link #send}.
     */
    Future<ApiResult<MessageAccepted>> sendMarketing(ObjectNode body);

    /**
     * {@code POST media}: uploads one file as {@code multipart/form-data} with
     * {@code messaging_product=whatsapp}, {@code type=<mimeType>} and the {@code file} part with
     * its own {@code Content-Type}. The file is streamed from disk in small chunks with
     * back-pressure, never held in memory whole; it must not change until the future completes.
     * Media limits (facts §3) are the caller's to check before uploading.
     *
     * @param file     a readable regular file
     * @param mimeType the MIME type, e.g. {@code image/jpeg}; sent as {@code type} and as the part's type
     * @param filename the name in the part's {@code Content-Disposition}; quotes and line breaks are replaced
     * @return the new media id; the future fails (not a {@link ApiResult.Failed}) when the file cannot be read
     */
    Future<ApiResult<MediaUploaded>> upload(Path file, String mimeType, String filename);

    /**
     * {@code GET /{media-id}}. 360dialog blocks this call for 30 min after 20 error answers within
     * 60 min (facts §1): do not repeat it after a 4xx.
     *
     * @throws IllegalArgumentException when the id is not a plain path segment
     */
    Future<ApiResult<MediaInfo>> mediaInfo(String mediaId);

    /**
     * {@code DELETE /{media-id}}.
     *
     * @return {@code Ok(true)} when the API confirms with {@code {"success":true}}, {@code Ok(false)}
     *         when it answers 2xx without confirming
     * @throws IllegalArgumentException when the id is not a plain path segment
     */
    Future<ApiResult<Boolean>> deleteMedia(String mediaId);

    /**
     * One page of the message templates of the WhatsApp Business Account {@code wabaId}: Meta
     * {@code GET /{version}/{waba-id}/message_templates?limit=100[&after=<cursor>]} (the token needs the
     * {@code whatsapp_business_management} permission); 360dialog
     * {@code GET /v1/configs/templates?limit=1000[&offset=<cursor>]}, the account of the channel's key
     * ({@code wabaId} is not sent). Call again with {@link TemplatePage#next()} until it is null.
     *
     * @param cursor null for the first page, else the previous page's {@link TemplatePage#next()}
     * @throws IllegalArgumentException when a Meta account id is not a plain path segment
     */
    default Future<ApiResult<TemplatePage>> templates(String wabaId, String cursor) {
        return Future.failedFuture(new UnsupportedOperationException(getClass().getSimpleName()
                + " cannot list templates"));
    }
}
