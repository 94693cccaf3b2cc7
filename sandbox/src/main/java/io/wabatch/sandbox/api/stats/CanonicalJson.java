package io.wabatch.sandbox.api.stats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ValueNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * The canonical form of a message body for duplicate detection: keys sorted recursively,
 * {@code biz_opaque_callback_data} and {@code recipient} removed, {@code to} replaced by the recipient's key
 * (their digits; for a user known only by a business-scoped user ID, that ID). Two sends of the same content to
 * the same person canonicalise equally whatever the key order, phone formatting, correlation token or whether
 * they named the person by phone number or by BSUID. Written straight from the request's tree, without copying
 * it: the sandbox takes this for every accepted message.
 */
public final class CanonicalJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private CanonicalJson() {
    }

    /** The canonical JSON text of {@code body} sent to {@code waId}. */
    public static String of(JsonNode body, String waId) {
        return new String(bytes(body, waId), StandardCharsets.UTF_8);
    }

    /** A compact key (SHA-256, base64) of the recipient and canonical body, to keep memory bounded. */
    public static String key(JsonNode body, String waId) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((waId + '\n').getBytes(StandardCharsets.UTF_8));
            sha.update(bytes(body, waId));
            return Base64.getEncoder().encodeToString(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    private static byte[] bytes(JsonNode body, String waId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            gen.writeStartObject();
            for (String name : sortedNames(body, true)) {
                gen.writeFieldName(name);
                if (name.equals("to")) {
                    gen.writeString(waId);
                } else {
                    write(gen, body.get(name));
                }
            }
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot canonicalise a message body", e);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator gen, JsonNode node) throws IOException {
        if (node.isObject()) {
            gen.writeStartObject();
            for (String name : sortedNames(node, false)) {
                gen.writeFieldName(name);
                write(gen, node.get(name));
            }
            gen.writeEndObject();
        } else if (node.isArray()) {
            gen.writeStartArray();
            for (JsonNode element : node) {
                write(gen, element);
            }
            gen.writeEndArray();
        } else if (node.isNull() || node.isMissingNode()) {
            gen.writeNull();
        } else if (node.isTextual() || node.isNumber() || node.isBoolean()) {
            // Each writes itself as Jackson's own toString() would; none of these needs a provider.
            ((ValueNode) node).serialize(gen, null);
        } else {
            // Binary or POJO values never come out of a parsed request; their text is canonical enough.
            gen.writeString(node.asText());
        }
    }

    /** The field names, sorted; at the top also {@code to} (always), never the callback token or {@code recipient}. */
    private static List<String> sortedNames(JsonNode node, boolean top) {
        List<String> names = new ArrayList<>(node.size() + 1);
        node.fieldNames().forEachRemaining(name -> {
            if (!top || !name.equals("biz_opaque_callback_data") && !name.equals("recipient")) {
                names.add(name);
            }
        });
        if (top && !node.has("to")) {
            names.add("to");
        }
        Collections.sort(names);
        return names;
    }
}
