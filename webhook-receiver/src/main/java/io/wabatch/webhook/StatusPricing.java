package io.wabatch.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.common.contract.StatusEvent;
import java.util.Locale;

/**
 * The {@code pricing} object of a status (whatsapp-api-facts §10), read tolerantly: absent or not an
 * object gives null; each field may be missing, and a value may come as a string ({@code "true"},
 * {@code "1"}) where a boolean is documented. {@code billable} is deprecated by Meta and kept only for
 * old conversation-based statuses; {@code type} decides whether a message is charged. Pure.
 */
final class StatusPricing {

    private StatusPricing() {
    }

    /** The pricing of {@code pricing} (a status's {@code pricing} node), or null when there is none. */
    static StatusEvent.Pricing read(JsonNode pricing) {
        if (pricing == null || !pricing.isObject()) {
            return null;
        }
        return new StatusEvent.Pricing(lower(pricing, "category"), bool(pricing.path("billable")),
                text(pricing, "pricing_model"), lower(pricing, "type"));
    }

    /** true, false, "true", "false", 1, 0, "1", "0"; anything else (or absent) is unknown. */
    private static Boolean bool(JsonNode value) {
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            return value.asLong() != 0;
        }
        if (value.isTextual()) {
            return switch (value.textValue().strip().toLowerCase(Locale.ROOT)) {
                case "true", "1" -> true;
                case "false", "0" -> false;
                default -> null;
            };
        }
        return null;
    }

    private static String lower(JsonNode node, String field) {
        String text = text(node, field);
        return text == null ? null : text.toLowerCase(Locale.ROOT);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isValueNode() || value.isNull()) {
            return null;
        }
        String text = value.asText().strip();
        return text.isEmpty() ? null : text;
    }
}
