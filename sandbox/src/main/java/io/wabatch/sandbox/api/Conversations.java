package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.sandbox.api.rules.ApiError;
import io.wabatch.sandbox.api.rules.ApiException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The sandbox's view of conversations, for the rules the real API applies to business messages
 * (off until set with {@code PUT /_sandbox/policy}):
 * <ul>
 *   <li>the 24-hour window: a non-template message to a customer who has not written to that number
 *       within the window is refused with 131047;</li>
 *   <li>messaging limits: the numbers of a business portfolio (of one WhatsApp Business Account when the
 *       number has no portfolio) share one limit of unique users reached by business-initiated messages per
 *       rolling window ({@code whatsapp-api-facts.md} §10). A business-initiated message (outside the window)
 *       to a new user beyond the limit is refused (131048) and counted in {@code tier_violations}. The limit is
 *       {@code tiers[<portfolio id>]}, else {@code tiers[<number id>]} (the number's own limit over the
 *       portfolio's shared count).</li>
 * </ul>
 * A user is their phone digits, or the BSUID of a user known only by one ({@link Recipient#key()}). Customers
 * write through {@code POST /_sandbox/inbound}, which also posts the inbound webhook.
 */
final class Conversations {

    private static final Set<String> KEYS = Set.of("window", "window_ms", "tiers", "tier_window_ms");

    private volatile boolean window;
    private volatile Duration windowLength = Duration.ofHours(24);
    private volatile Map<String, Integer> tiers = Map.of();
    private volatile Duration tierWindow = Duration.ofHours(24);
    /** (number, customer) → when the customer last wrote, epoch ms. */
    private final Map<String, Long> lastInbound = new HashMap<>();
    /** business ({@link NumberState#businessKey()}) → (user → when last counted for the limit, epoch ms). */
    private final Map<String, Map<String, Long>> business = new HashMap<>();
    private long tierViolations;

    synchronized void configure(JsonNode node) {
        if (node == null || node.isNull()) {
            window = false;
            tiers = Map.of();
            return;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("'policy' must be a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown key 'policy." + key + "'; known: " + KEYS);
            }
        }
        window = node.path("window").asBoolean(false);
        windowLength = node.has("window_ms") ? SettingsJson.duration(node.get("window_ms"), "policy.window_ms")
                : Duration.ofHours(24);
        tierWindow = node.has("tier_window_ms") ? SettingsJson.duration(node.get("tier_window_ms"),
                "policy.tier_window_ms") : Duration.ofHours(24);
        Map<String, Integer> parsed = new HashMap<>();
        node.path("tiers").fields().forEachRemaining(e -> parsed.put(e.getKey(), e.getValue().asInt()));
        tiers = Map.copyOf(parsed);
    }

    /**
     * Sets one messaging limit at once ({@code null}: none, unlimited), as a {@code business_capability_update}
     * announces it; the other limits and the counts stay.
     */
    synchronized void tier(String key, Integer limit) {
        Map<String, Integer> changed = new HashMap<>(tiers);
        if (limit == null) {
            changed.remove(key);
        } else {
            changed.put(key, limit);
        }
        tiers = Map.copyOf(changed);
    }

    /** A customer wrote to {@code number}. */
    synchronized void inbound(String number, String customer, long atMs) {
        lastInbound.merge(number + "/" + customer, atMs, Math::max);
    }

    /**
     * Whether {@code customer} wrote to {@code number} within the window length (24 h by default) before
     * {@code nowMs}: the customer service window, open or not whether or not the policy enforces it.
     */
    synchronized boolean windowOpen(String number, String customer, long nowMs) {
        Long wrote = lastInbound.get(number + "/" + customer);
        return wrote != null && wrote + windowLength.toMillis() > nowMs;
    }

    /**
     * Applies the rules to a message about to be accepted; throws the API's error when it breaks one.
     *
     * @param number      the sending number's id
     * @param portfolioId the sending number's portfolio, or null
     * @param businessKey what the number's limit is shared by ({@link NumberState#businessKey()})
     * @param recipient   the user ({@link Recipient#key()})
     */
    synchronized void check(String number, String portfolioId, String businessKey, String recipient, String type,
            long nowMs) {
        Long wrote = lastInbound.get(number + "/" + recipient);
        boolean open = wrote != null && wrote + windowLength.toMillis() > nowMs;
        if (window && !open && !"template".equals(type)) {
            throw new ApiException(ApiError.of(400, 131047, "Re-engagement message", "Message failed to send because "
                    + "more than 24 hours have passed since the customer last replied to this number."));
        }
        Integer tier = portfolioId != null && tiers.containsKey(portfolioId) ? tiers.get(portfolioId)
                : tiers.get(number);
        if (tier == null || open) {
            return;
        }
        Map<String, Long> counted = business.computeIfAbsent(businessKey, n -> new HashMap<>());
        counted.values().removeIf(at -> at + tierWindow.toMillis() <= nowMs);
        if (!counted.containsKey(recipient) && counted.size() >= tier) {
            tierViolations++;
            throw new ApiException(ApiError.of(400, 131048, "Spam rate limit hit", "Messaging limit reached: the"
                    + " numbers of " + describe(businessKey) + " may reach " + tier + " unique users with"
                    + " business-initiated messages per rolling window."));
        }
        counted.put(recipient, nowMs);
    }

    private static String describe(String businessKey) {
        return businessKey.startsWith("portfolio:") ? "business portfolio " + businessKey.substring(10)
                : "WhatsApp Business Account " + businessKey.substring(businessKey.indexOf(':') + 1);
    }

    synchronized ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("window", window);
        node.put("window_ms", windowLength.toMillis());
        ObjectNode tierNode = node.putObject("tiers");
        tiers.forEach(tierNode::put);
        node.put("tier_window_ms", tierWindow.toMillis());
        node.put("tier_violations", tierViolations);
        ObjectNode reached = node.putObject("reached");
        business.forEach((key, users) -> reached.put(key, users.size()));
        return node;
    }

    synchronized void reset() {
        lastInbound.clear();
        business.clear();
        tierViolations = 0;
    }
}
