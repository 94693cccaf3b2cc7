package io.wabatch.sandbox.api.rules;

import com.fasterxml.jackson.databind.JsonNode;

/** Rules of the simple message types: text, location, contacts, reaction. */
final class OtherTypeRules {

    private static final int MAX_TEXT = 4096;

    private OtherTypeRules() {
    }

    /** {@code text.body} required, at most 4096 characters. */
    static void text(JsonNode text) {
        String body = Fields.requiredText(text, "body", "text");
        if (Fields.length(body) > MAX_TEXT) {
            throw new ApiException(ApiError.invalid("Parameter 'text.body' is " + Fields.length(body)
                    + " characters long; the limit is " + MAX_TEXT + "."));
        }
    }

    /** {@code location.latitude} and {@code location.longitude} required. */
    static void location(JsonNode location) {
        for (String field : new String[] {"latitude", "longitude"}) {
            JsonNode value = Fields.required(location, field, "location");
            if (!value.isNumber() && !value.asText().matches("-?\\d+(\\.\\d+)?")) {
                throw new ApiException(ApiError.invalid("Parameter 'location." + field + "' must be a number."));
            }
        }
    }

    /** {@code contacts}: a non-empty array; each contact needs {@code name.formatted_name}. */
    static void contacts(JsonNode contacts) {
        if (!contacts.isArray() || contacts.isEmpty()) {
            throw new ApiException(ApiError.invalid("Parameter 'contacts' must be a non-empty array."));
        }
        for (int i = 0; i < contacts.size(); i++) {
            String path = "contacts[" + i + "]";
            if (!contacts.get(i).isObject()) {
                throw new ApiException(ApiError.invalid("Parameter '" + path + "' must be a JSON object."));
            }
            JsonNode name = Fields.requiredObject(contacts.get(i), "name", path);
            Fields.requiredText(name, "formatted_name", path + ".name");
        }
    }

    /** {@code reaction.message_id} required; {@code emoji} present (empty removes a reaction). */
    static void reaction(JsonNode reaction) {
        Fields.requiredText(reaction, "message_id", "reaction");
        Fields.text(Fields.required(reaction, "emoji", "reaction"), "reaction.emoji");
    }
}
