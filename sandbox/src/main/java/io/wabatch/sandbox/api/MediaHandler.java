package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import io.wabatch.sandbox.api.media.FileDigest;
import io.wabatch.sandbox.api.media.StoredMedia;
import io.wabatch.sandbox.api.rules.ApiError;
import io.wabatch.sandbox.api.rules.ApiException;
import io.wabatch.sandbox.api.rules.MediaKind;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code POST /media} (multipart, spooled to disk by the body handler, hashed off the event loop,
 * then deleted), {@code GET /{media-id}} and {@code DELETE /{media-id}}.
 */
final class MediaHandler {

    private final SandboxState state;

    MediaHandler(SandboxState state) {
        this.state = state;
    }

    void upload(RoutingContext ctx) {
        NumberState number = ctx.get(Responses.NUMBER);
        MultiMap form = ctx.request().formAttributes();
        String product = form.get("messaging_product");
        if (product == null) {
            throw new ApiException(ApiError.parameterRequired("messaging_product"));
        }
        if (!product.equals("whatsapp")) {
            throw new ApiException(ApiError.invalidParameter("messaging_product must be 'whatsapp', got '"
                    + product + "'."));
        }
        FileUpload file = ctx.fileUploads().stream().filter(f -> "file".equals(f.name())).findFirst()
                .orElseThrow(() -> new ApiException(ApiError.parameterRequired("file")));
        String typeField = form.get("type");
        // Meta requires the type field, 360dialog's example omits it: fall back to the part's Content-Type.
        String declared = typeField == null || typeField.isBlank() ? file.contentType() : typeField;
        String mime = MediaKind.normalizeMime(declared);
        MediaKind kind = MediaKind.forMime(mime)
                .orElseThrow(() -> new ApiException(ApiError.unsupportedMime(MediaKind.supportedList(), mime)));
        ctx.vertx().executeBlocking(() -> FileDigest.of(Path.of(file.uploadedFileName())), false)
                .onSuccess(digest -> store(ctx, number, kind, mime, digest, file.fileName()))
                .onFailure(ctx::fail);
    }

    private void store(RoutingContext ctx, NumberState number, MediaKind kind, String mime, FileDigest digest,
            String filename) {
        if (digest.size() > kind.maxBytes()) {
            ctx.fail(new ApiException(ApiError.invalidParameter("The " + kind.messageType() + " file is "
                    + digest.size() + " bytes; the limit for " + mime + " (" + kind.messageType() + ") is "
                    + kind.readableLimit() + " (" + kind.maxBytes() + " bytes).")));
            return;
        }
        StoredMedia media = state.media().add(number.id(), mime, digest.size(), digest.sha256(), filename);
        number.stats().uploaded();
        Responses.json(ctx, 200, JsonNodeFactory.instance.objectNode().put("id", media.id()));
    }

    void info(RoutingContext ctx) {
        StoredMedia media = live(ctx, "get");
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("messaging_product", "whatsapp");
        body.put("url", state.baseUrl() + "/_sandbox/media/" + media.id());
        body.put("mime_type", media.mime());
        body.put("sha256", media.sha256());
        body.put("file_size", String.valueOf(media.size()));
        body.put("id", media.id());
        Responses.json(ctx, 200, body);
    }

    void delete(RoutingContext ctx) {
        StoredMedia media = live(ctx, "delete");
        List<String> owners = List.of(media.number());
        if (!state.media().delete(media.id(), owners)) {
            throw new ApiException(ApiError.unsupportedRequest("delete", media.id()));
        }
        Responses.json(ctx, 200, JsonNodeFactory.instance.objectNode().put("success", true));
    }

    private StoredMedia live(RoutingContext ctx, String method) {
        List<NumberState> allowed = ctx.get(Responses.NUMBERS);
        String id = ctx.pathParam("mediaId");
        return state.media().live(id, allowed.stream().map(NumberState::id).toList())
                .orElseThrow(() -> new ApiException(ApiError.unsupportedRequest(method, id)));
    }
}
