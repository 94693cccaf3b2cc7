package io.wabatch.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.common.contract.CallbackToken;
import io.wabatch.common.contract.InboundMessage;
import io.wabatch.common.contract.StatusEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a WhatsApp webhook body (Cloud API format, which 360dialog forwards unchanged) into the
 * events it carries: one {@link StatusEvent} per {@code statuses[]} entry, with the campaign, job
 * and generation recovered from the echoed {@code biz_opaque_callback_data}, and one
 * {@link InboundMessage} per {@code messages[]} entry. Other fields (template updates, account
 * alerts) carry no events here. Pure.
 */
final class WebhookEvents {

    /** The events of one webhook. */
    record Parsed(List<StatusEvent> statuses, List<InboundMessage> inbound) {
        int size() {
            return statuses.size() + inbound.size();
        }
    }

    private WebhookEvents() {
    }

    /** @throws IllegalArgumentException when the body is not a WhatsApp webhook */
    static Parsed parse(JsonNode root, Instant receivedAt) {
        if (root == null || !root.isObject() || !root.path("entry").isArray()) {
            throw new IllegalArgumentException("not a WhatsApp webhook: expected {\"object\": ..., \"entry\": [...]}");
        }
        List<StatusEvent> statuses = new ArrayList<>();
        List<InboundMessage> inbound = new ArrayList<>();
        for (JsonNode entry : root.path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                JsonNode value = change.path("value");
                String numberId = text(value.path("metadata"), "phone_number_id");
                for (JsonNode status : value.path("statuses")) {
                    statuses.add(status(status, numberId, receivedAt));
                }
                for (JsonNode message : value.path("messages")) {
                    inbound.add(inbound(message, numberId, receivedAt));
                }
            }
        }
        return new Parsed(statuses, inbound);
    }

    private static StatusEvent status(JsonNode status, String numberId, Instant receivedAt) {
        String wamid = text(status, "id");
        String state = text(status, "status");
        if (wamid == null || state == null) {
            throw new IllegalArgumentException("a status without 'id' or 'status'");
        }
        List<StatusEvent.StatusError> errors = new ArrayList<>();
        for (JsonNode error : status.path("errors")) {
            errors.add(new StatusEvent.StatusError(error.path("code").canConvertToInt() && error.has("code")
                    ? error.path("code").asInt() : null, text(error, "title"),
                    text(error.path("error_data"), "details")));
        }
        StatusEvent.Pricing price = StatusPricing.read(status.path("pricing"));
        CallbackToken token = CallbackToken.parse(text(status, "biz_opaque_callback_data"));
        return new StatusEvent(wamid, state, instant(status), digits(text(status, "recipient_id")), numberId, errors,
                price, token == null ? null : token.campaignId(), token == null ? null : token.jobId(),
                token == null ? null : token.generation(), receivedAt, text(status, "recipient_user_id"));
    }

    private static InboundMessage inbound(JsonNode message, String numberId, Instant receivedAt) {
        String from = digits(text(message, "from"));
        if (from == null) {
            throw new IllegalArgumentException("a message without 'from'");
        }
        String type = text(message, "type");
        String body = switch (type == null ? "" : type) {
            case "text" -> text(message.path("text"), "body");
            case "button" -> text(message.path("button"), "text");
            case "interactive" -> {
                JsonNode interactive = message.path("interactive");
                String title = text(interactive.path("button_reply"), "title");
                yield title != null ? title : text(interactive.path("list_reply"), "title");
            }
            default -> null;
        };
        return new InboundMessage(from, text(message, "id"), instant(message), type, body, numberId, receivedAt,
                text(message, "from_user_id"));
    }

    private static Instant instant(JsonNode node) {
        JsonNode seconds = node.path("timestamp");
        try {
            return seconds.isMissingNode() || seconds.isNull() ? null
                    : Instant.ofEpochSecond(Long.parseLong(seconds.asText().strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("timestamp must be epoch seconds, got '" + seconds.asText() + "'");
        }
    }

    private static String digits(String phone) {
        return phone == null ? null : phone.replaceAll("\\D", "");
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }
}
