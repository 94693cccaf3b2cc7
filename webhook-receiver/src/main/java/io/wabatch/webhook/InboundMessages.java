package io.wabatch.webhook;

import static io.wabatch.webhook.Fields.digits;
import static io.wabatch.webhook.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.common.contract.InboundMessage;
import io.wabatch.common.contract.InboundMessage.SystemChange;
import java.time.Instant;

/**
 * Reads one {@code messages[]} entry into an {@link InboundMessage}, naming its sender by phone
 * ({@code from}) and business-scoped user ID ({@code from_user_id}, else the matching
 * {@code contacts[].user_id}, else a system message's new one); either may be missing, not both. Pure.
 */
final class InboundMessages {

    private InboundMessages() {
    }

    /** The message, or null when it names no sender at all. */
    static InboundMessage read(JsonNode message, JsonNode contacts, String numberId, Instant receivedAt) {
        if (!message.isObject()) {
            return null;
        }
        JsonNode contact = contact(contacts, digits(message, "from"));
        String from = digits(message, "from");
        if (from == null) {
            from = digits(contact, "wa_id");
        }
        SystemChange system = system(message.path("system"));
        String userId = text(message, "from_user_id");
        if (userId == null) {
            userId = text(contact, "user_id");
        }
        if (userId == null && system != null) {
            userId = system.userId() != null ? system.userId() : system.previousUserId();
        }
        if (from == null && userId == null) {
            return null;
        }
        String type = text(message, "type");
        Fields.Stamp time = Fields.time(message, "timestamp");
        String wamid = text(message, "id");
        return new InboundMessage(from, wamid, time.or(receivedAt), type, body(message, type), numberId, receivedAt,
                userId, system, time.raw(), wamid != null ? wamid : Fields.hash("inbound", message));
    }

    /** The contact whose {@code wa_id} is {@code from}, else the only one, else a missing node. */
    private static JsonNode contact(JsonNode contacts, String from) {
        if (!contacts.isArray() || contacts.isEmpty()) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        for (JsonNode contact : contacts) {
            if (from != null && from.equals(digits(contact, "wa_id"))) {
                return contact;
            }
        }
        return contacts.size() == 1 ? contacts.get(0)
                : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static SystemChange system(JsonNode system) {
        if (!system.isObject()) {
            return null;
        }
        String newPhone = digits(system, "wa_id");
        return new SystemChange(text(system, "type"), newPhone != null ? newPhone : digits(system, "new_wa_id"),
                text(system, "user_id"), text(system, "parent_user_id"), text(system, "previous_user_id"),
                text(system, "previous_parent_user_id"));
    }

    private static String body(JsonNode message, String type) {
        return switch (type == null ? "" : type) {
            case "text" -> text(message.path("text"), "body");
            case "button" -> text(message.path("button"), "text");
            case "interactive" -> {
                JsonNode interactive = message.path("interactive");
                String title = text(interactive.path("button_reply"), "title");
                yield title != null ? title : text(interactive.path("list_reply"), "title");
            }
            case InboundMessage.SYSTEM -> text(message.path("system"), "body");
            default -> null;
        };
    }
}
