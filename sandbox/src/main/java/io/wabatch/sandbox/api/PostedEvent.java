package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A platform event the sandbox posted (or would have, with webhooks off), as {@code POST /_sandbox/events} answers it.
 *
 * @param field   the webhook field
 * @param wabaId  the account it is about ({@code entry[].id})
 * @param status  the receiver's HTTP status, or null when nothing was posted (webhooks off) or the post failed
 * @param error   why the post failed (connection refused, ...), or null
 * @param effects what the sandbox now enforces because of the event, in words (empty: nothing)
 * @param body    the POST body, exactly as signed and sent
 */
public record PostedEvent(String field, String wabaId, Integer status, String error, List<String> effects,
        ObjectNode body) {

    /** Canonical constructor: copies the effects. */
    public PostedEvent {
        effects = List.copyOf(effects);
    }

    /** Whether the receiver answered 2xx. */
    public boolean answeredOk() {
        return status != null && status / 100 == 2;
    }

    /** The event's {@code value} ({@code entry[0].changes[0].value}). */
    public JsonNode value() {
        return body.path("entry").path(0).path("changes").path(0).path("value");
    }

    /** Reads the answer of {@code POST /_sandbox/events}. */
    static PostedEvent fromJson(ObjectNode answer) {
        List<String> effects = new ArrayList<>();
        answer.path("effects").forEach(e -> effects.add(e.asText()));
        JsonNode status = answer.get("status");
        JsonNode error = answer.get("error");
        return new PostedEvent(answer.path("field").asText(), answer.path("waba_id").asText(),
                status == null || status.isNull() ? null : status.asInt(),
                error == null || error.isNull() ? null : error.asText(), effects, (ObjectNode) answer.get("body"));
    }
}
