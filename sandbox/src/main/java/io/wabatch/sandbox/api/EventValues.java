package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code value} of each platform event in the shape of Meta's webhook references (SANDBOX.md, Platform events,
 * names each source), and the envelope around it. Pure: every input is explicit, so the shapes are unit-tested.
 */
final class EventValues {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private EventValues() {
    }

    /**
     * {@code {"object": "whatsapp_business_account", "entry": [{"id": <waba>, "time": <s>, "changes": [{"field",
     * "value"}]}]}}; {@code time} only on account-level fields (Meta's references show none on {@code messages}).
     */
    static ObjectNode envelope(String wabaId, String field, JsonNode value, long nowSeconds) {
        ObjectNode root = JSON.objectNode();
        root.put("object", "whatsapp_business_account");
        ObjectNode entry = root.putArray("entry").addObject().put("id", wabaId);
        if (!field.equals("messages")) {
            entry.put("time", nowSeconds);
        }
        ObjectNode change = entry.putArray("changes").addObject();
        change.put("field", field);
        change.set("value", value);
        return root;
    }

    /** The {@code metadata} of number-level values: display phone digits and phone-number ID. */
    static ObjectNode metadata(String displayDigits, String numberId) {
        return JSON.objectNode().put("display_phone_number", displayDigits).put("phone_number_id", numberId);
    }

    /** {@code user_preferences}: one user ({@code wa_id} absent for a user known by BSUID only) stops or resumes. */
    static ObjectNode userPreferences(ObjectNode metadata, Recipient user, String name, String preference,
            long nowSeconds) {
        ObjectNode value = JSON.objectNode().put("messaging_product", "whatsapp");
        value.set("metadata", metadata);
        ObjectNode contact = value.putArray("contacts").addObject();
        contact.putObject("profile").put("name", name);
        ObjectNode entry = value.putArray("user_preferences").addObject();
        if (user.digits() != null) {
            contact.put("wa_id", user.digits());
            entry.put("wa_id", user.digits());
        }
        contact.put("user_id", user.userId());
        entry.put("user_id", user.userId());
        entry.put("detail", "User requested to " + preference + " marketing messages");
        entry.put("category", "marketing_messages");
        entry.put("value", preference);
        entry.put("timestamp", nowSeconds);
        return value;
    }

    /**
     * {@code message_template_status_update}; {@code reason} null is JSON null (Meta: a template scheduled for
     * deletion), {@code pauseTitle} adds {@code other_info} (FIRST_PAUSE, UNPAUSE, ...), a DISABLED event
     * {@code disable_info}.
     */
    static ObjectNode templateStatus(TemplateRef template, String event, String reason, String pauseTitle,
            long nowSeconds) {
        ObjectNode value = JSON.objectNode().put("event", event);
        template.putInto(value);
        value.put("reason", reason);
        if (template.category() != null) {
            value.put("message_template_category", template.category());
        }
        if (event.equals("DISABLED")) {
            value.putObject("disable_info").put("disable_date", nowSeconds);
        }
        if (pauseTitle != null) {
            value.putObject("other_info").put("title", pauseTitle).put("description", pauseTitle.equals("UNPAUSE")
                    ? "Your WhatsApp message template has been unpaused."
                    : "Your WhatsApp message template has been paused because of low quality.");
        }
        return value;
    }

    /** {@code template_category_update}, impending: the category it will get and when (epoch seconds). */
    static ObjectNode categoryImpending(TemplateRef template, String correctCategory, long updateAtSeconds) {
        ObjectNode value = JSON.objectNode();
        template.putInto(value);
        value.put("correct_category", correctCategory);
        if (template.category() != null) {
            value.put("new_category", template.category());
        }
        value.put("category_update_timestamp", updateAtSeconds);
        return value;
    }

    /** {@code template_category_update}, completed. */
    static ObjectNode categoryChanged(TemplateRef template, String previousCategory, String newCategory) {
        ObjectNode value = JSON.objectNode();
        template.putInto(value);
        value.put("previous_category", previousCategory);
        value.put("new_category", newCategory);
        return value;
    }

    /** {@code message_template_quality_update}. */
    static ObjectNode templateQuality(TemplateRef template, String previousScore, String newScore) {
        ObjectNode value = JSON.objectNode().put("previous_quality_score", previousScore)
                .put("new_quality_score", newScore);
        template.putInto(value);
        return value;
    }

    /** {@code phone_number_quality_update}: named by display phone number only; limits omitted when null. */
    static ObjectNode phoneNumberQuality(String displayDigits, String event, String oldLimit, String currentLimit,
            String maxDaily) {
        ObjectNode value = JSON.objectNode().put("display_phone_number", displayDigits).put("event", event);
        if (oldLimit != null) {
            value.put("old_limit", oldLimit);
        }
        if (currentLimit != null) {
            value.put("current_limit", currentLimit);
        }
        if (maxDaily != null) {
            value.put("max_daily_conversations_per_business", maxDaily);
        }
        return value;
    }

    /** {@code account_update} with {@code restriction_info[]}: (type, expiration epoch seconds) pairs. */
    static ObjectNode accountRestriction(ArrayNode restrictionInfo) {
        ObjectNode value = JSON.objectNode().put("event", "ACCOUNT_RESTRICTION");
        value.set("restriction_info", restrictionInfo);
        return value;
    }

    /** {@code account_update} DISABLED_UPDATE with {@code ban_info}. */
    static ObjectNode accountDisabled(String banState, String banDate) {
        ObjectNode value = JSON.objectNode().put("event", "DISABLED_UPDATE");
        value.putObject("ban_info").put("waba_ban_state", banState).put("waba_ban_date", banDate);
        return value;
    }

    /** {@code account_update} ACCOUNT_VIOLATION with {@code violation_info}. */
    static ObjectNode accountViolation(String violationType) {
        ObjectNode value = JSON.objectNode().put("event", "ACCOUNT_VIOLATION");
        value.putObject("violation_info").put("violation_type", violationType);
        return value;
    }

    /** {@code account_update} MM_LITE_TERMS_SIGNED: the Marketing Messages API terms accepted. */
    static ObjectNode marketingTermsSigned(String wabaId, String ownerBusinessId) {
        ObjectNode value = JSON.objectNode().put("event", "MM_LITE_TERMS_SIGNED");
        ObjectNode info = value.putObject("waba_info").put("waba_id", wabaId);
        if (ownerBusinessId != null) {
            info.put("owner_business_id", ownerBusinessId);
        }
        return value;
    }

    /**
     * A {@code system} message under {@code messages} (no {@code contacts}, as Meta documents): the user's new
     * identity in {@code system} with the previous BSUIDs; {@code from} only when the old phone is known and may be
     * shared ({@code user_changed_number}).
     */
    static ObjectNode systemMessage(ObjectNode metadata, String type, String wamid, String fromDigits,
            ObjectNode system, long nowSeconds) {
        ObjectNode value = JSON.objectNode().put("messaging_product", "whatsapp");
        value.set("metadata", metadata);
        ObjectNode message = value.putArray("messages").addObject();
        if (fromDigits != null) {
            message.put("from", fromDigits);
        }
        message.put("id", wamid).put("timestamp", Long.toString(nowSeconds)).put("type", "system");
        system.put("type", type);
        message.set("system", system);
        return value;
    }

    /**
     * The template an event names: its id (the catalogue's, a number when numeric, as Meta sends it), name, language
     * and category (null when unknown).
     */
    record TemplateRef(String id, String name, String language, String category) {

        void putInto(ObjectNode value) {
            if (id != null && id.chars().allMatch(Character::isDigit) && id.length() <= 18) {
                value.put("message_template_id", Long.parseLong(id));
            } else if (id != null) {
                value.put("message_template_id", id);
            }
            value.put("message_template_name", name).put("message_template_language", language);
        }
    }
}
