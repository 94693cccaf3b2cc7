package io.wabatch.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Map;

/** Tolerant reads of one webhook value's fields: text, digits, times and a content hash. Pure. */
final class Fields {

    /** Canonical JSON for hashing: object members sorted, so a reordered copy hashes the same. */
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
    private static final DateTimeFormatter OFFSET_NO_COLON = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ");

    /**
     * A time as the webhook gave it.
     *
     * @param at  the instant, or null when the field is absent or unreadable
     * @param raw the value as it came when it was present but unreadable (e.g. {@code "TIMESTAMP"}), else null
     */
    record Stamp(Instant at, String raw) {

        static final Stamp ABSENT = new Stamp(null, null);

        /** The instant, or {@code fallback} when there is none. */
        Instant or(Instant fallback) {
            return at != null ? at : fallback;
        }
    }

    private Fields() {
    }

    /** A scalar member as text, or null when absent, null, blank or not a scalar. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isValueNode() || value.isNull()) {
            return null;
        }
        String text = value.asText();
        return text.isBlank() ? null : text;
    }

    /** A member's digits (a phone number as WhatsApp writes it, with or without '+'), or null. */
    static String digits(JsonNode node, String field) {
        String text = text(node, field);
        if (text == null) {
            return null;
        }
        String digits = text.replaceAll("\\D", "");
        return digits.isEmpty() ? null : digits;
    }

    /**
     * Epoch seconds as a number or a string ({@code 1749416383}, {@code "1749416383"}), or an ISO-8601 time
     * ({@code 2026-04-19T13:59:20+0000}); anything else is kept raw.
     */
    static Stamp time(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return Stamp.ABSENT;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return new Stamp(Instant.ofEpochSecond(value.asLong()), null);
        }
        String text = value.asText().strip();
        try {
            if (text.matches("\\d{1,12}")) {
                return new Stamp(Instant.ofEpochSecond(Long.parseLong(text)), null);
            }
            return new Stamp(iso(text), null);
        } catch (DateTimeParseException | ArithmeticException e) {
            return new Stamp(null, value.isValueNode() ? value.asText() : value.toString());
        }
    }

    private static Instant iso(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(text, OFFSET_NO_COLON).toInstant();
        }
    }

    /** {@code sha256:} and the first 128 bits of the SHA-256 of the node's canonical JSON, with {@code salt}. */
    static String hash(String salt, JsonNode node) {
        try {
            Object plain = CANONICAL.convertValue(node, Object.class);
            byte[] json = CANONICAL.writeValueAsBytes(plain == null ? Map.of() : plain);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            byte[] digest = sha.digest(json);
            return "sha256:" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot hash a webhook value", e);
        }
    }
}
