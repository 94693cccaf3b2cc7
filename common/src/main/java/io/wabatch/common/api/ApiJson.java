package io.wabatch.common.api;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;

/** The package's Jackson mapper and the lenient field readers the API's answers need. */
final class ApiJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    static {
        // Answers come from a remote party: bound what a hostile or broken body may cost.
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(1_000_000).build());
    }

    private ApiJson() {
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The tree of a JSON body, or a {@link MissingNode} when the body is empty or not JSON. */
    static JsonNode tree(byte[] body) {
        if (body == null || body.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            return node == null ? MissingNode.getInstance() : node;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    /** A non-blank text field, or null. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isValueNode() || value.isNull()) {
            return null;
        }
        String text = value.asText();
        return text.isBlank() ? null : text;
    }

    /** An int field given as a number or a numeric string, or null. */
    static Integer integer(JsonNode node, String field) {
        Long value = longValue(node, field);
        return value == null || value != value.intValue() ? null : value.intValue();
    }

    /** A long field given as a number or a numeric string, or null. */
    static Long longValue(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        if (value.isTextual()) {
            try {
                return Long.parseLong(value.asText().strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** The first element of an array field, or a {@link MissingNode}. */
    static JsonNode first(JsonNode node, String field) {
        return node.path(field).path(0);
    }
}
