package io.wabatch.upload;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.common.contract.Bsuids;
import io.wabatch.common.contract.Json;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The recipients of a raw campaign job as ordering keys: numbers as digits only, a leading
 * {@code 00} dropped; business-scoped user IDs as they are (both when a recipient has both).
 * Unreadable records have no keys (they fail on their own without waiting for anyone).
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
        add(keys, root.get("recipient"));
        root.path("recipients").forEach(r -> {
            add(keys, r.isObject() ? r.get("to") : r);
            add(keys, r.isObject() ? r.get("recipient") : null);
        });
        return keys;
    }

    private static void add(Set<String> keys, JsonNode recipient) {
        if (recipient != null && recipient.isTextual()) {
            String value = recipient.asText().strip();
            if (Bsuids.isBsuid(value)) {
                keys.add(value);
                return;
            }
            String digits = value.replaceAll("\\D", "");
            keys.add(digits.startsWith("00") ? digits.substring(2) : digits);
        }
    }
}
