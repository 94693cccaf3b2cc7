package io.wabatch.common.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reads the API's success bodies (facts §1, §2). Pure; null means the body lacked what defines success. */
final class ApiAnswers {

    /** Templates asked for per page from Meta. */
    static final int META_TEMPLATE_PAGE = 100;
    /** Templates asked for per page from 360dialog (its answers show a limit of 1,000). */
    static final int D360_TEMPLATE_PAGE = 1_000;

    private ApiAnswers() {
    }

    /** {@code {"contacts":[{"wa_id"?,"user_id"?}],"messages":[{"id","message_status"?}]}}. */
    static MessageAccepted messageAccepted(JsonNode root) {
        JsonNode message = ApiJson.first(root, "messages");
        String wamid = ApiJson.text(message, "id");
        if (wamid == null) {
            return null;
        }
        JsonNode contact = ApiJson.first(root, "contacts");
        return new MessageAccepted(wamid, ApiJson.text(contact, "wa_id"), ApiJson.text(message, "message_status"),
                ApiJson.text(contact, "user_id"));
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

    /**
     * A page of templates. Meta: {@code {"data":[...],"paging":{"cursors":{"after"},"next"?}}}, a next page
     * only when {@code paging.next} is present. 360dialog: {@code {"waba_templates":[...],"offset","count",
     * "total",...}}, a next page while {@code offset + count < total}. Either array name is read for either
     * provider; a body without one is not a page (null).
     */
    static TemplatePage templatePage(JsonNode root, Provider provider) {
        JsonNode array = root.path("data").isArray() ? root.path("data") : root.path("waba_templates");
        if (!array.isArray()) {
            return null;
        }
        List<JsonNode> templates = new ArrayList<>();
        array.forEach(t -> {
            if (t.isObject()) {
                templates.add(t);
            }
        });
        return new TemplatePage(templates, provider == Provider.META ? metaNext(root) : d360Next(root, array.size()));
    }

    private static String metaNext(JsonNode root) {
        JsonNode paging = root.path("paging");
        return ApiJson.text(paging, "next") == null ? null : ApiJson.text(paging.path("cursors"), "after");
    }

    private static String d360Next(JsonNode root, int count) {
        Long offset = ApiJson.longValue(root, "offset");
        Long total = ApiJson.longValue(root, "total");
        if (count == 0 || total == null) {
            return null;
        }
        long next = (offset == null ? 0 : offset) + count;
        return next < total ? Long.toString(next) : null;
    }
}
