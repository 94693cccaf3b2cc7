package io.wabatch.upload;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.common.contract.Json;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The recipients of a raw campaign job as ordering keys: digits only, a leading {@code 00}
 * dropped. Unreadable records have no keys (they fail on their own without waiting for anyone).
 */
final class RecipientKeys {

    private RecipientKeys() {
    }

    static Collection<String> of(byte[] value) {
        JsonNode root;
        try {
            root = value == null ? null : Json.mapper().readTree(value);
        } catch (java.io.IOException e) {
            return List.of();
        }
        if (root == null || !root.isObject()) {
            return List.of();
        }
        Set<String> keys = new HashSet<>();
        add(keys, root.get("to"));
        root.path("recipients").forEach(r -> add(keys, r.isObject() ? r.get("to") : r));
        return keys;
    }

    private static void add(Set<String> keys, JsonNode number) {
        if (number != null && number.isTextual()) {
            String digits = number.asText().replaceAll("\\D", "");
            keys.add(digits.startsWith("00") ? digits.substring(2) : digits);
        }
    }
}
