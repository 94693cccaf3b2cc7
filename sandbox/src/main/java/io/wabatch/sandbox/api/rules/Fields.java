package io.wabatch.sandbox.api.rules;

import com.fasterxml.jackson.databind.JsonNode;

/** Field access that fails with the right code: 131008 when missing, 131009 when of the wrong shape. */
final class Fields {

    private Fields() {
    }

    /** {@code parent.field}, which must be present and not null. */
    static JsonNode required(JsonNode parent, String field, String path) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            throw new ApiException(ApiError.missing("Parameter '" + at(path, field) + "' is required."));
        }
        return value;
    }

    /** {@code parent.field}, which must be a JSON object. */
    static JsonNode requiredObject(JsonNode parent, String field, String path) {
        JsonNode value = required(parent, field, path);
        if (!value.isObject()) {
            throw new ApiException(ApiError.invalid("Parameter '" + at(path, field) + "' must be a JSON object."));
        }
        return value;
    }

    /** {@code parent.field} as text: a non-blank string (or a number or boolean, which Graph coerces). */
    static String requiredText(JsonNode parent, String field, String path) {
        JsonNode value = required(parent, field, path);
        String text = text(value, at(path, field));
        if (text.isBlank()) {
            throw new ApiException(ApiError.missing("Parameter '" + at(path, field) + "' must not be empty."));
        }
        return text;
    }

    /** {@code parent.field} as text, or {@code null} when absent. */
    static String optionalText(JsonNode parent, String field, String path) {
        JsonNode value = parent.get(field);
        return value == null || value.isNull() ? null : text(value, at(path, field));
    }

    /** A scalar's text; objects and arrays are 131009. */
    static String text(JsonNode value, String where) {
        if (!value.isValueNode()) {
            throw new ApiException(ApiError.invalid("Parameter '" + where + "' must be a string."));
        }
        return value.asText();
    }

    /**
     * {@code parent.field} as an index: a non-negative integer, sent as a number or a string of
     * digits ({@code 0}, {@code "0"}); 131008 when missing, 131009 otherwise.
     */
    static long index(JsonNode parent, String field, String path) {
        JsonNode index = required(parent, field, path);
        boolean valid = index.isIntegralNumber() ? index.canConvertToLong() && index.asLong() >= 0
                : index.isTextual() && index.asText().matches("\\d{1,3}");
        if (!valid) {
            throw new ApiException(ApiError.invalid("Parameter '" + at(path, field)
                    + "' must be a non-negative integer, got " + index + "."));
        }
        return index.asLong();
    }

    /** Length in Unicode code points, the unit of the API's character limits. */
    static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    /** The dotted path of {@code field} under {@code path}. */
    static String at(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}
