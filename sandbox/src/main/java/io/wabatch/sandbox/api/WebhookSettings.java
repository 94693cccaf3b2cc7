package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.sandbox.api.rules.UserIds;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where and how the sandbox posts status webhooks for the messages it accepts ({@code PUT
 * /_sandbox/webhooks}). Off while {@link #url} is null.
 *
 * @param url            the receiver's endpoint, or null for none
 * @param appSecret      Meta's app secret: each POST carries {@code X-Hub-Signature-256}; null: unsigned
 * @param sharedHeader   a 360dialog-style custom header name, or null
 * @param sharedValue    its value
 * @param step           time between a message's statuses (sent at 1 step, delivered at 2, read at 3)
 * @param readShare      share of delivered messages that are also read
 * @param failedShare    share of messages that fail after {@code sent}, with a code from {@link #failedCodes}
 * @param failedCodes    the codes failures draw from
 * @param failRecipients recipients (digits, or a BSUID) whose every message fails with the given code
 * @param copies         how often each status is posted (at-least-once delivery: 3 posts each)
 * @param outOfOrder     post a message's statuses newest first
 */
record WebhookSettings(String url, String appSecret, String sharedHeader, String sharedValue, Duration step,
                       double readShare, double failedShare, List<Integer> failedCodes,
                       Map<String, Integer> failRecipients, int copies, boolean outOfOrder) {

    static final List<Integer> REALISTIC_CODES = List.of(131026, 131049, 131050);
    private static final Set<String> KEYS = Set.of("url", "app_secret", "shared_header", "shared_value", "step",
            "read_share", "failed_share", "failed_codes", "fail_recipients", "copies", "out_of_order");

    WebhookSettings {
        failedCodes = List.copyOf(failedCodes);
        failRecipients = Map.copyOf(failRecipients);
    }

    static WebhookSettings off() {
        return new WebhookSettings(null, null, null, null, Duration.ofMillis(50), 1.0, 0, REALISTIC_CODES, Map.of(),
                1, false);
    }

    boolean enabled() {
        return url != null;
    }

    /** Reads {@code {"url": ..., "app_secret": ..., ...}}; JSON null turns webhooks off. */
    static WebhookSettings fromJson(JsonNode node) {
        if (node == null || node.isNull()) {
            return off();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("'webhooks' must be a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown key 'webhooks." + key + "'; known: " + KEYS);
            }
        }
        String url = text(node, "url");
        if (url == null) {
            throw new IllegalArgumentException("webhooks.url is required (null turns webhooks off)");
        }
        URI uri = URI.create(url);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("webhooks.url must be http(s), got '" + url + "'");
        }
        Duration step = node.has("step") ? SettingsJson.duration(node.get("step"), "webhooks.step") : Duration.ofMillis(50);
        List<Integer> codes = new ArrayList<>();
        node.path("failed_codes").forEach(code -> codes.add(code.asInt()));
        Map<String, Integer> fail = new LinkedHashMap<>();
        node.path("fail_recipients").fields().forEachRemaining(e -> fail.put(UserIds.isUserId(e.getKey())
                ? e.getKey() : e.getKey().replaceAll("\\D", ""), e.getValue().asInt()));
        int copies = SettingsJson.integer(node, "copies", 1, "webhooks.copies");
        if (copies < 1 || copies > 10) {
            throw new IllegalArgumentException("webhooks.copies must be 1..10, got " + copies);
        }
        return new WebhookSettings(url, text(node, "app_secret"), text(node, "shared_header"),
                text(node, "shared_value"), step, share(node, "read_share", 1.0), share(node, "failed_share", 0),
                codes.isEmpty() ? REALISTIC_CODES : codes, fail, copies, node.path("out_of_order").asBoolean(false));
    }

    /** As served by {@code GET /_sandbox/settings}: secrets are not shown. */
    ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("enabled", enabled());
        node.put("url", url);
        node.put("signed", appSecret != null);
        node.put("shared_header", sharedHeader);
        node.put("step_ms", step.toMillis());
        node.put("read_share", readShare);
        node.put("failed_share", failedShare);
        failedCodes.forEach(node.putArray("failed_codes")::add);
        node.put("fail_recipients", failRecipients.size());
        node.put("copies", copies);
        node.put("out_of_order", outOfOrder);
        return node;
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static double share(JsonNode node, String key, double defaultValue) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        if (!value.isNumber() || value.asDouble() < 0 || value.asDouble() > 1) {
            throw new IllegalArgumentException("webhooks." + key + " must be a number in 0..1, got " + value);
        }
        return value.asDouble();
    }
}
