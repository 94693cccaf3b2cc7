package io.wabatch.common.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code {{name}}} placeholders in the texts of a message (text bodies, captions, template
 * parameters) from a recipient's {@code vars}. Links, ids and type fields are never touched.
 * Positional template placeholders ({@code {{1}}}) live in the template itself, not in the send
 * body, so they are not affected.
 */
public final class Placeholders {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");
    private static final Set<String> UNTOUCHED = Set.of("link", "id", "type", "sub_type", "code", "name");

    private Placeholders() {
    }

    /**
     * Replaces placeholders in {@code node} in place.
     *
     * @return the names that had no value in {@code vars}, sorted; empty when all were filled
     */
    public static Set<String> fill(JsonNode node, Map<String, String> vars) {
        Set<String> missing = new TreeSet<>();
        walk(node, vars, missing);
        return missing;
    }

    private static void walk(JsonNode node, Map<String, String> vars, Set<String> missing) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isTextual()) {
                    if (!UNTOUCHED.contains(field.getKey())) {
                        field.setValue(new TextNode(replace(field.getValue().asText(), vars, missing)));
                    }
                } else {
                    walk(field.getValue(), vars, missing);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    array.set(i, new TextNode(replace(array.get(i).asText(), vars, missing)));
                } else {
                    walk(array.get(i), vars, missing);
                }
            }
        }
    }

    private static String replace(String text, Map<String, String> vars, Set<String> missing) {
        if (text.indexOf("{{") < 0) {
            return text;
        }
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = vars.get(matcher.group(1));
            if (value == null) {
                missing.add(matcher.group(1));
                value = matcher.group();
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
