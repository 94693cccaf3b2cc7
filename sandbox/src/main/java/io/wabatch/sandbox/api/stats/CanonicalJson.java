package io.wabatch.sandbox.api.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Iterator;
import java.util.TreeSet;

/**
 * The canonical form of a message body for duplicate detection: keys sorted recursively,
 * {@code biz_opaque_callback_data} removed, {@code to} replaced by its digits. Two sends of the same
 * content to the same person canonicalise equally whatever the key order, phone formatting or
 * correlation token.
 */
public final class CanonicalJson {

    private CanonicalJson() {
    }

    /** The canonical JSON text of {@code body} sent to {@code waId}. */
    public static String of(JsonNode body, String waId) {
        ObjectNode copy = ((ObjectNode) body).deepCopy();
        copy.remove("biz_opaque_callback_data");
        copy.put("to", waId);
        return sorted(copy).toString();
    }

    /** A compact key (SHA-256, base64) of the recipient and canonical body, to keep memory bounded. */
    public static String key(JsonNode body, String waId) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((waId + '\n' + of(body, waId)).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            TreeSet<String> names = new TreeSet<>();
            node.fieldNames().forEachRemaining(names::add);
            names.forEach(name -> out.set(name, sorted(node.get(name))));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (Iterator<JsonNode> it = node.elements(); it.hasNext();) {
                out.add(sorted(it.next()));
            }
            return out;
        }
        return node;
    }
}
