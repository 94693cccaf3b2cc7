package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.sandbox.api.rules.ApiError;
import io.wabatch.sandbox.api.rules.ApiException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the platform's own events left in force (SANDBOX.md, Platform events): users who stopped marketing
 * messages from a number ({@code user_preferences}), free entry point windows, and account restrictions and
 * disablements ({@code account_update}). Sends consult it; {@link SandboxState#reset()} clears it. Thread-safe.
 */
final class PlatformRules {

    /** Business cannot initiate conversations: messages outside the person's 24-hour window are refused. */
    static final String BIZ_INITIATED = "RESTRICTED_BIZ_INITIATED_MESSAGING";
    /** Business cannot answer customers: messages inside the person's 24-hour window are refused. */
    static final String CUSTOMER_INITIATED = "RESTRICTED_CUSTOMER_INITIATED_MESSAGING";

    /** number/person → opted out of marketing messages. */
    private final Set<String> optedOut = ConcurrentHashMap.newKeySet();
    /** number/person → end of their free entry point window, epoch ms. */
    private final Map<String, Long> entryPoints = new ConcurrentHashMap<>();
    /** waba → restriction type → expiry, epoch ms. */
    private final Map<String, Map<String, Long>> restrictions = new ConcurrentHashMap<>();
    /** Disabled accounts (DISABLED_UPDATE with ban state DISABLE, until REINSTATE). */
    private final Set<String> disabled = ConcurrentHashMap.newKeySet();

    /** A person stopped ({@code stop = true}) or resumed marketing messages from a number. */
    void marketingPreference(String number, String person, boolean stop) {
        if (stop) {
            optedOut.add(number + "/" + person);
        } else {
            optedOut.remove(number + "/" + person);
        }
    }

    boolean optedOut(String number, String person) {
        return optedOut.contains(number + "/" + person);
    }

    /** Opens (or extends) a person's free entry point window with a number until {@code untilMs}. */
    void entryPoint(String number, String person, long untilMs) {
        entryPoints.merge(number + "/" + person, untilMs, Math::max);
    }

    boolean entryPointOpen(String number, String person, long nowMs) {
        Long until = entryPoints.get(number + "/" + person);
        return until != null && until > nowMs;
    }

    /** Restricts an account in {@code type} until {@code untilMs}; a later restriction of that type replaces it. */
    void restrict(String waba, String type, long untilMs) {
        restrictions.computeIfAbsent(waba, w -> new ConcurrentHashMap<>()).put(type, untilMs);
    }

    /** Disables an account ({@code true}) or reinstates it. */
    void disabled(String waba, boolean value) {
        if (value) {
            disabled.add(waba);
        } else {
            disabled.remove(waba);
        }
    }

    /**
     * Refuses a message of an account that is disabled, or restricted in the kind the message is (outside the
     * person's window: business-initiated; inside: an answer), with 368 until the restriction expires.
     */
    void check(String waba, boolean windowOpen, long nowMs) {
        if (disabled.contains(waba)) {
            throw new ApiException(ApiError.accountRestricted("WhatsApp Business Account " + waba
                    + " is disabled (DISABLED_UPDATE, ban state DISABLE) until it is reinstated."));
        }
        String type = windowOpen ? CUSTOMER_INITIATED : BIZ_INITIATED;
        Long until = restrictions.getOrDefault(waba, Map.of()).get(type);
        if (until != null && until > nowMs) {
            throw new ApiException(ApiError.accountRestricted("WhatsApp Business Account " + waba + " is restricted ("
                    + type + ") until " + Instant.ofEpochMilli(until) + "; this message is "
                    + (windowOpen ? "an answer inside" : "business-initiated, outside") + " the customer's 24-hour"
                    + " window."));
        }
    }

    /** {@code {"opted_out": n, "entry_points": n, "restrictions": {waba: {type: expiry ms}}, "disabled": [...]}}. */
    ObjectNode toJson(long nowMs) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("opted_out", optedOut.size());
        node.put("entry_points", entryPoints.values().stream().filter(until -> until > nowMs).count());
        ObjectNode byWaba = node.putObject("restrictions");
        new TreeMap<>(restrictions).forEach((waba, types) -> {
            ObjectNode typesNode = byWaba.putObject(waba);
            new TreeMap<>(types).forEach((type, until) -> {
                if (until > nowMs) {
                    typesNode.put(type, until);
                }
            });
        });
        new java.util.TreeSet<>(disabled).forEach(node.putArray("disabled")::add);
        return node;
    }

    void reset() {
        optedOut.clear();
        entryPoints.clear();
        restrictions.clear();
        disabled.clear();
    }
}
