package io.wabatch.common.api;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads the API's success bodies (facts §1, §2). Pure; null means the body lacked what defines success. */
final class ApiAnswers {

    private ApiAnswers() {
    }

    /** {@code {"contacts":[{"wa_id"}],"messages":[{"id","message_status"?}]}}. */
    static MessageAccepted messageAccepted(JsonNode root) {
        JsonNode message = ApiJson.first(root, "messages");
        String wamid = ApiJson.text(message, "id");
        if (wamid == null) {
            return null;
        }
        return new MessageAccepted(wamid, ApiJson.text(ApiJson.first(root, "contacts"), "wa_id"),
                ApiJson.text(message, "message_status"));
    }

    /** {@code {"id":"<MEDIA_ID>"}}. */
    static MediaUploaded mediaUploaded(JsonNode root) {
        String id = ApiJson.text(root, "id");
        return id == null ? null : new MediaUploaded(id);
    }

    /** {@code {"url","mime_type","sha256","file_size":"303833" or 303833,"id"}}; the id defaults to the one asked for. */
    static MediaInfo mediaInfo(JsonNode root, String requestedId) {
        if (!root.isObject()) {
            return null;
        }
        String id = ApiJson.text(root, "id");
        Long size = ApiJson.longValue(root, "file_size");
        return new MediaInfo(id == null ? requestedId : id, ApiJson.text(root, "url"), ApiJson.text(root, "mime_type"),
                ApiJson.text(root, "sha256"), size == null ? -1 : size);
    }

    /** {@code {"success":true}}: true only when the API confirms. */
    static Boolean deleted(JsonNode root) {
        return root.isObject() ? root.path("success").asBoolean(false) : null;
    }
}
