package io.wabatch.webhook;

import static io.wabatch.webhook.Fields.digits;
import static io.wabatch.webhook.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.common.contract.CallbackToken;
import io.wabatch.common.contract.InboundMessage;
import io.wabatch.common.contract.PlatformEvent;
import io.wabatch.common.contract.StatusEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a WhatsApp webhook body (Cloud API format, which 360dialog forwards unchanged) into the
 * events it carries, tolerantly: one {@link StatusEvent} per {@code statuses[]} entry, with the
 * campaign, job and generation recovered from the echoed {@code biz_opaque_callback_data}; one
 * {@link InboundMessage} per {@code messages[]} entry (system messages included); one
 * {@link PlatformEvent} per change of another field ({@link PlatformEvents}) and per value-level
 * {@code errors[]} entry. A time that is not epoch seconds does not drop its event: the event takes
 * the receive time and keeps the raw value. An entry without what it needs (a status without
 * {@code id}) is listed in {@link Parsed#unreadable} and the rest is read. Pure.
 */
final class WebhookEvents {

    /**
     * The events of one webhook.
     *
     * @param unreadable why an item could not be read, one line each (no values: they may be personal)
     */
    record Parsed(List<StatusEvent> statuses, List<InboundMessage> inbound, List<PlatformEvent> platform,
                  List<String> unreadable) {

        /** The statuses and inbound messages only (the receiver before platform events). */
        Parsed(List<StatusEvent> statuses, List<InboundMessage> inbound) {
            this(statuses, inbound, List.of(), List.of());
        }

        int size() {
            return statuses.size() + inbound.size() + platform.size();
        }
    }

    private WebhookEvents() {
    }

    /** @throws IllegalArgumentException when the body is not a WhatsApp webhook: no {@code entry} array */
    static Parsed parse(JsonNode root, Instant receivedAt) {
        if (root == null || !root.isObject() || !root.path("entry").isArray()
                || (root.has("object") && !"whatsapp_business_account".equals(text(root, "object")))) {
            throw new IllegalArgumentException("not a WhatsApp webhook: expected {\"object\": "
                    + "\"whatsapp_business_account\", \"entry\": [...]}");
        }
        Parsed parsed = new Parsed(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (JsonNode entry : root.path("entry")) {
            if (!entry.path("changes").isArray()) {
                parsed.unreadable().add("an entry without 'changes': [...]");
                continue;
            }
            var origin = new PlatformEvents.Origin(text(entry, "id"), Fields.time(entry, "time"), receivedAt);
            for (JsonNode change : entry.path("changes")) {
                change(change, origin, parsed);
            }
        }
        return parsed;
    }

    private static void change(JsonNode change, PlatformEvents.Origin origin, Parsed parsed) {
        JsonNode value = change.path("value");
        String field = text(change, "field");
        if (!value.isObject()) {
            parsed.unreadable().add("a change of field '" + field + "' without a value object");
        } else if (field == null || field.equals("messages")) {
            messages(value, origin, parsed);
        } else {
            parsed.platform().addAll(PlatformEvents.of(field, value, origin));
        }
    }

    private static void messages(JsonNode value, PlatformEvents.Origin origin, Parsed parsed) {
        String numberId = text(value.path("metadata"), "phone_number_id");
        Instant receivedAt = origin.receivedAt();
        for (JsonNode status : value.path("statuses")) {
            if (text(status, "id") == null || text(status, "status") == null) {
                parsed.unreadable().add("a status without 'id' or 'status'");
            } else {
                parsed.statuses().add(status(status, numberId, receivedAt));
            }
        }
        for (JsonNode message : value.path("messages")) {
            InboundMessage read = InboundMessages.read(message, value.path("contacts"), numberId, receivedAt);
            if (read == null) {
                parsed.unreadable().add("a message naming no sender (no 'from', 'from_user_id' or contact)");
            } else {
                parsed.inbound().add(read);
            }
        }
        for (JsonNode error : value.path("errors")) {
            parsed.platform().add(PlatformEvents.valueError(error, value, origin));
        }
        if (!value.has("statuses") && !value.has("messages") && !value.has("errors")) {
            parsed.platform().add(PlatformEvents.other("messages", value, origin));
        }
    }

    private static StatusEvent status(JsonNode status, String numberId, Instant receivedAt) {
        String wamid = text(status, "id");
        String state = text(status, "status");
        List<StatusEvent.StatusError> errors = new ArrayList<>();
        for (JsonNode error : status.path("errors")) {
            errors.add(new StatusEvent.StatusError(error.path("code").canConvertToInt() && error.has("code")
                    ? error.path("code").asInt() : null, text(error, "title"),
                    text(error.path("error_data"), "details")));
        }
        StatusEvent.Pricing price = StatusPricing.read(status.path("pricing"));
        CallbackToken token = CallbackToken.parse(text(status, "biz_opaque_callback_data"));
        boolean group = "group".equals(text(status, "recipient_type"));
        String recipient = group ? digits(status, "recipient_participant_id") : digits(status, "recipient_id");
        Fields.Stamp time = Fields.time(status, "timestamp");
        return new StatusEvent(wamid, state, time.or(receivedAt), recipient, numberId, errors,
                price, token == null ? null : token.campaignId(), token == null ? null : token.jobId(),
                token == null ? null : token.generation(), receivedAt, text(status, "recipient_user_id"),
                group ? text(status, "recipient_id") : null, time.raw());
    }
}
