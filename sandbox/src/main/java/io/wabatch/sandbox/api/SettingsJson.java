package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;

/**
 * JSON form of the runtime settings ({@link PairLimit}, {@link Latency}, {@link Faults}, {@link Storm}),
 * shared by the config file and the admin endpoints. Durations are an integer of milliseconds or an
 * ISO-8601 string ({@code "PT6S"}); unknown keys are errors.
 */
final class SettingsJson {

    private static final Set<String> PAIR_KEYS = Set.of("window", "burst");
    private static final Set<String> LATENCY_KEYS = Set.of("min", "max", "fixed");
    private static final Set<String> FAULT_KEYS = Set.of("mode", "http500", "timeout", "reset", "max_hold");
    private static final Set<String> STORM_KEYS = Set.of("number", "duration", "code", "http_status");

    private SettingsJson() {
    }

    /** {@code {"window": 6000 | "PT6S" | null | 0, "burst": 1}}; JSON {@code null} turns the limit off. */
    static PairLimit pairLimit(JsonNode node) {
        if (node == null || node.isNull()) {
            return PairLimit.disabled();
        }
        object(node, "pair_limit", PAIR_KEYS);
        Duration window = node.has("window") ? duration(node.get("window"), "pair_limit.window")
                : PairLimit.DEFAULT_WINDOW;
        return new PairLimit(window, integer(node, "burst", PairLimit.DEFAULT_BURST, "pair_limit.burst"));
    }

    /** {@code {"min": 50, "max": 300}} or {@code {"fixed": 200}}; JSON {@code null} means none. */
    static Latency latency(JsonNode node) {
        if (node == null || node.isNull()) {
            return Latency.NONE;
        }
        object(node, "latency", LATENCY_KEYS);
        if (node.has("fixed")) {
            if (node.has("min") || node.has("max")) {
                throw new IllegalArgumentException("latency: give either 'fixed' or 'min'/'max', not both");
            }
            return Latency.fixed(duration(node.get("fixed"), "latency.fixed"));
        }
        Duration min = node.has("min") ? duration(node.get("min"), "latency.min") : Duration.ZERO;
        Duration max = node.has("max") ? duration(node.get("max"), "latency.max") : min;
        return Latency.uniform(min, max);
    }

    /** {@code {"mode": "before_accept", "http500": 0.1, "timeout": 0, "reset": 0, "max_hold": 60000}}. */
    static Faults faults(JsonNode node) {
        if (node == null || node.isNull()) {
            return Faults.none();
        }
        object(node, "faults", FAULT_KEYS);
        FaultMode mode = node.hasNonNull("mode") ? FaultMode.fromJson(node.get("mode").asText())
                : FaultMode.BEFORE_ACCEPT;
        Duration maxHold = node.hasNonNull("max_hold") ? duration(node.get("max_hold"), "faults.max_hold")
                : Faults.DEFAULT_MAX_HOLD;
        return new Faults(mode, share(node, "http500"), share(node, "timeout"), share(node, "reset"), maxHold);
    }

    /** {@code {"number": "<id>" (optional), "duration": 500, "code": 130429, "http_status": 400}}. */
    static Storm storm(JsonNode node) {
        object(node, "storm", STORM_KEYS);
        if (!node.hasNonNull("duration")) {
            throw new IllegalArgumentException("storm.duration is required");
        }
        String number = node.hasNonNull("number") ? node.get("number").asText() : null;
        return new Storm(number, duration(node.get("duration"), "storm.duration"),
                integer(node, "code", 130429, "storm.code"), integer(node, "http_status", 400, "storm.http_status"));
    }

    static ObjectNode toJson(PairLimit limit) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("enabled", limit.enabled());
        if (limit.enabled()) {
            node.put("window_ms", limit.window().toMillis());
        } else {
            node.putNull("window_ms");
        }
        return node.put("burst", limit.burst());
    }

    static ObjectNode toJson(Latency latency) {
        return JsonNodeFactory.instance.objectNode().put("min_ms", latency.min().toMillis())
                .put("max_ms", latency.max().toMillis());
    }

    static ObjectNode toJson(Faults faults) {
        return JsonNodeFactory.instance.objectNode().put("mode", faults.mode().jsonName())
                .put("http500", faults.http500()).put("timeout", faults.timeout()).put("reset", faults.reset())
                .put("max_hold_ms", faults.maxHold().toMillis());
    }

    /** An integer of milliseconds or an ISO-8601 duration string; {@code null} is zero. */
    static Duration duration(JsonNode value, String key) {
        if (value == null || value.isNull()) {
            return Duration.ZERO;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return Duration.ofMillis(value.asLong());
        }
        if (value.isTextual()) {
            try {
                return Duration.parse(value.asText());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(key + " must be milliseconds or an ISO-8601 duration such as"
                        + " PT6S, got '" + value.asText() + "'", e);
            }
        }
        throw new IllegalArgumentException(key + " must be milliseconds or an ISO-8601 duration, got " + value);
    }

    static int integer(JsonNode node, String key, int defaultValue, String name) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new IllegalArgumentException("'" + name + "' must be an integer, got " + value);
        }
        return value.asInt();
    }

    private static double share(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException("faults." + key + " must be a number in 0..1, got " + value);
        }
        return value.asDouble();
    }

    private static void object(JsonNode node, String name, Set<String> allowed) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("'" + name + "' must be a JSON object, got " + node);
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("unknown key '" + name + "." + key + "'; known: " + allowed);
            }
        }
    }
}
