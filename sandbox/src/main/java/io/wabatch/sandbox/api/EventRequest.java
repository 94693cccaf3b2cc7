package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/**
 * One {@code POST /_sandbox/events} body, its account resolved: {@code field}, the number ({@code number}, a
 * phone-number ID) or the account ({@code waba_id}) it is about, and the field's parameters (every other key).
 *
 * @param field  the webhook field ({@code user_preferences}, {@code account_update}, ...)
 * @param number the number named, or null when only {@code waba_id} was
 * @param wabaId the WhatsApp Business Account: the number's, or {@code waba_id}
 * @param params the remaining keys
 */
record EventRequest(String field, NumberState number, String wabaId, ObjectNode params) {

    /** Keys every request may have besides the field's own. */
    static final Set<String> CONTROL = Set.of("field", "number", "waba_id");

    /** Reads a request; {@link IllegalArgumentException} naming what is wrong (an unknown number or account too). */
    static EventRequest read(JsonNode body, SandboxState state) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("body must be a JSON object: {\"field\": \"...\", \"number\": \"<id>\""
                    + " or \"waba_id\": \"<id>\", ...the field's parameters, or \"value\": <raw value>}");
        }
        String field = body.path("field").asText("");
        if (field.isBlank()) {
            throw new IllegalArgumentException("'field' is required (e.g. user_preferences, account_update)");
        }
        NumberState number = body.hasNonNull("number") ? state.requireNumber(body.get("number").asText()) : null;
        String waba = body.hasNonNull("waba_id") ? state.requireWaba(body.get("waba_id").asText()) : null;
        if (number != null && waba != null && !number.wabaId().equals(waba)) {
            throw new IllegalArgumentException("number " + number.id() + " belongs to WhatsApp Business Account "
                    + number.wabaId() + ", not " + waba);
        }
        if (number == null && waba == null) {
            throw new IllegalArgumentException("name the account: 'number' (a phone-number ID) or 'waba_id'");
        }
        ObjectNode params = ((ObjectNode) body).deepCopy();
        params.remove(CONTROL);
        return new EventRequest(field, number, number != null ? number.wabaId() : waba, params);
    }

    /** The number, or {@link IllegalArgumentException} when the field needs one and only an account was named. */
    NumberState requireNumber() {
        if (number == null) {
            throw new IllegalArgumentException(field + " is about a phone number: name it with 'number'");
        }
        return number;
    }

    /** Refuses keys other than {@code allowed}, naming them. */
    void allow(Set<String> allowed) {
        Set<String> unknown = new TreeSet<>();
        for (Iterator<String> it = params.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!allowed.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(field + ": unknown key(s) " + unknown + "; known: "
                    + new TreeSet<>(allowed) + " (post any shape with \"value\")");
        }
    }

    /** A text parameter, or {@code fallback} when absent or null. */
    String text(String key, String fallback) {
        JsonNode value = params.get(key);
        return value == null || value.isNull() ? fallback : value.asText();
    }

    /** A required text parameter. */
    String required(String key) {
        String value = text(key, null);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": '" + key + "' is required");
        }
        return value;
    }

    /** The parameter as given, or null. */
    JsonNode node(String key) {
        JsonNode value = params.get(key);
        return value == null || value.isNull() ? null : value;
    }
}
