package io.wabatch.webhook;

import static io.wabatch.webhook.Fields.digits;
import static io.wabatch.webhook.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.common.contract.PlatformEvent;
import io.wabatch.common.contract.PlatformEvent.Subject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one change of a field other than {@code messages} (whatsapp-api-facts §11) into
 * {@link PlatformEvent}s: one per {@code user_preferences[]} entry, one per change otherwise. Fields
 * it does not know are passed on with no event and their raw value. Pure.
 */
final class PlatformEvents {

    /** Nested members flattened into details at most this deep, and at most this many details per event. */
    private static final int MAX_DEPTH = 4;
    private static final int MAX_DETAILS = 64;

    /** Where a change was found: its account, the entry's time, when the receiver took it. */
    record Origin(String wabaId, Fields.Stamp entryTime, Instant receivedAt) {
    }

    private PlatformEvents() {
    }

    /** The events of one change of {@code field}. */
    static List<PlatformEvent> of(String field, JsonNode value, Origin origin) {
        return switch (field) {
            case PlatformEvent.USER_PREFERENCES -> userPreferences(value, origin);
            case PlatformEvent.TEMPLATE_STATUS, PlatformEvent.PHONE_QUALITY, PlatformEvent.ACCOUNT_UPDATE ->
                    List.of(event(field, text(value, "event"), value, value, origin));
            case PlatformEvent.TEMPLATE_CATEGORY -> List.of(event(field, categoryEvent(value), value, value, origin));
            case PlatformEvent.TEMPLATE_QUALITY ->
                    List.of(event(field, text(value, "new_quality_score"), value, value, origin));
            case PlatformEvent.CAPABILITY -> List.of(event(field, null, value, value, origin));
            default -> List.of(other(field, value, origin));
        };
    }

    /** A field the receiver does not know, or a {@code messages} value with neither statuses nor messages. */
    static PlatformEvent other(String field, JsonNode value, Origin origin) {
        Fields.Stamp at = origin.entryTime();
        return new PlatformEvent(field, null, origin.wabaId(), Fields.hash(field + "/" + at.at(), value), at.at(),
                origin.receivedAt(), numberOf(value), Map.of(), value);
    }

    /** One {@code errors[]} entry at the level of a {@code messages} value: the number or account failed. */
    static PlatformEvent valueError(JsonNode error, JsonNode value, Origin origin) {
        Map<String, String> details = new LinkedHashMap<>();
        put(details, "code", text(error, "code"));
        put(details, "title", text(error, "title"));
        put(details, "message", text(error, "message"));
        put(details, "details", text(error.path("error_data"), "details"));
        return new PlatformEvent("messages", "error", origin.wabaId(),
                Fields.hash("messages/error/" + origin.entryTime().at(), error), origin.entryTime().at(),
                origin.receivedAt(), numberOf(value), details, error);
    }

    private static List<PlatformEvent> userPreferences(JsonNode value, Origin origin) {
        JsonNode preferences = value.path("user_preferences");
        if (!preferences.isArray() || preferences.isEmpty()) {
            return List.of(other(PlatformEvent.USER_PREFERENCES, value, origin));
        }
        Subject number = numberOf(value);
        List<PlatformEvent> events = new ArrayList<>();
        for (JsonNode preference : preferences) {
            Subject subject = new Subject(number.phoneNumberId(), number.displayPhoneNumber(), null, null, null,
                    digits(preference, "wa_id"), text(preference, "user_id"));
            events.add(event(PlatformEvent.USER_PREFERENCES, text(preference, "value"), preference, subject,
                    preference, origin));
        }
        return events;
    }

    private static String categoryEvent(JsonNode value) {
        if (value.has("previous_category")) {
            return "COMPLETED";
        }
        return value.has("correct_category") || value.has("category_update_timestamp") ? "IMPENDING" : null;
    }

    private static PlatformEvent event(String field, String event, JsonNode value, JsonNode raw, Origin origin) {
        Subject number = numberOf(value);
        Subject subject = new Subject(number.phoneNumberId(), number.displayPhoneNumber(),
                text(value, "message_template_id"), text(value, "message_template_name"),
                text(value, "message_template_language"), null, null);
        return event(field, event, value, subject, raw, origin);
    }

    private static PlatformEvent event(String field, String event, JsonNode value, Subject subject, JsonNode raw,
                                       Origin origin) {
        Fields.Stamp own = Fields.time(value, "timestamp");
        Instant at = own.at() != null ? own.at() : origin.entryTime().at();
        Map<String, String> details = details(field, value);
        if (own.raw() != null) {
            details.put("unreadable.timestamp", own.raw());
        }
        String id = firstNonNull(subject.templateId(), subject.userId(), subject.userPhone(),
                subject.displayPhoneNumber(), origin.wabaId());
        String dedupe = id != null && at != null
                ? field + "/" + id + "/" + (event == null ? "-" : event) + "/" + at.getEpochSecond()
                : Fields.hash(field, raw);
        return new PlatformEvent(field, event, origin.wabaId(), dedupe, at, origin.receivedAt(), subject, details,
                raw);
    }

    /** Every member as text (nested ones as {@code a.b} and {@code a[0].b}), plus the named ones a reader wants. */
    private static Map<String, String> details(String field, JsonNode value) {
        Map<String, String> details = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> members = value.fields();
        while (members.hasNext()) {
            Map.Entry<String, JsonNode> member = members.next();
            if (!member.getKey().equals("metadata") && !member.getKey().equals("messaging_product")) {
                flatten(member.getKey(), member.getValue(), details, 1);
            }
        }
        if (field.equals(PlatformEvent.ACCOUNT_UPDATE)) {
            JsonNode restriction = value.path("restriction_info").path(0);
            put(details, "restriction_type", text(restriction, "restriction_type"));
            put(details, "expiration", text(restriction, "expiration"));
            Fields.Stamp expiration = Fields.time(restriction, "expiration");
            put(details, "expiration_at", expiration.at() == null ? null : expiration.at().toString());
        }
        if (field.equals(PlatformEvent.TEMPLATE_CATEGORY)) {
            Fields.Stamp effective = Fields.time(value, "category_update_timestamp");
            put(details, "category_update_at", effective.at() == null ? null : effective.at().toString());
        }
        return details;
    }

    private static void flatten(String name, JsonNode node, Map<String, String> details, int depth) {
        if (details.size() >= MAX_DETAILS || node.isNull() || node.isMissingNode()) {
            return;
        }
        if (node.isValueNode()) {
            details.put(name, node.asText());
        } else if (depth >= MAX_DEPTH) {
            details.put(name, node.toString());
        } else if (node.isObject()) {
            node.fields().forEachRemaining(m -> flatten(name + "." + m.getKey(), m.getValue(), details, depth + 1));
        } else {
            for (int i = 0; i < node.size(); i++) {
                flatten(name + "[" + i + "]", node.get(i), details, depth + 1);
            }
        }
    }

    private static Subject numberOf(JsonNode value) {
        JsonNode metadata = value.path("metadata");
        String display = text(metadata, "display_phone_number");
        return new Subject(text(metadata, "phone_number_id"),
                display != null ? display : text(value, "display_phone_number"), null, null, null, null, null);
    }

    private static void put(Map<String, String> details, String name, String value) {
        if (value != null) {
            details.put(name, value);
        }
    }

    private static String firstNonNull(String... values) {
        for (String value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
