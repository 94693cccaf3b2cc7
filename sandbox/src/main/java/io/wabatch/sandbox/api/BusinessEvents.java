package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.sandbox.api.rules.UserIds;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The account-level events of {@link PlatformEvents} ({@code business_capability_update}, {@code account_update})
 * and the identity-change {@code system} messages: their values and what the sandbox does on them.
 */
final class BusinessEvents {

    private BusinessEvents() {
    }

    /**
     * {@code business_capability_update}: the portfolio's messaging limit ({@code -1}: unlimited) becomes the
     * sandbox's messaging limit of the account's portfolio (of each of its numbers when it has none).
     */
    static JsonNode capability(SandboxState state, EventRequest event, PlatformEvents.Effects effects) {
        Set<String> counts = Set.of("max_daily_conversations_per_business", "max_phone_numbers_per_business",
                "max_phone_numbers_per_waba", "max_daily_conversation_per_phone");
        event.allow(counts);
        JsonNode limit = event.node("max_daily_conversations_per_business");
        if (limit == null || !limit.canConvertToInt()) {
            throw new IllegalArgumentException("business_capability_update: 'max_daily_conversations_per_business'"
                    + " (an integer, -1 for unlimited) is required");
        }
        ObjectNode value = JsonNodeFactory.instance.objectNode();
        for (String key : List.of("max_daily_conversation_per_phone", "max_daily_conversations_per_business",
                "max_phone_numbers_per_business", "max_phone_numbers_per_waba")) {
            if (event.node(key) != null) {
                value.put(key, event.node(key).asLong());
            }
        }
        Integer tier = limit.asInt() < 0 ? null : limit.asInt();
        List<String> keys = limitKeys(state, event.wabaId());
        effects.add("messaging limit of " + keys + " is " + (tier == null ? "unlimited" : tier),
                () -> keys.forEach(key -> state.conversations().tier(key, tier)));
        return value;
    }

    /** The keys of the policy's {@code tiers} that hold an account's limit: its portfolio, else its numbers. */
    private static List<String> limitKeys(SandboxState state, String wabaId) {
        List<NumberState> numbers = state.numbers().stream().filter(n -> n.wabaId().equals(wabaId)).toList();
        String portfolio = numbers.get(0).portfolioId();
        return portfolio != null ? List.of(portfolio) : numbers.stream().map(NumberState::id).toList();
    }

    /** {@code account_update}: restrictions, disablement, violations, the Marketing Messages API terms. */
    static JsonNode account(SandboxState state, EventRequest event, long now, PlatformEvents.Effects effects) {
        String name = event.required("event").toUpperCase(Locale.ROOT);
        String waba = event.wabaId();
        switch (name) {
            case "ACCOUNT_RESTRICTION" -> {
                event.allow(Set.of("event", "restriction_info", "restriction_type", "expiration", "expires_in"));
                ArrayNode info = restrictionInfo(event, now);
                for (JsonNode restriction : info) {
                    String type = restriction.path("restriction_type").asText();
                    long until = restriction.path("expiration").asLong() * 1000;
                    long exact = event.node("expires_in") != null && info.size() == 1
                            ? now + SettingsJson.duration(event.node("expires_in"), "expires_in").toMillis() : until;
                    effects.add(waba + " is restricted (" + type + ") until " + java.time.Instant.ofEpochMilli(exact),
                            () -> state.platform().restrict(waba, type, exact));
                }
                return EventValues.accountRestriction(info);
            }
            case "DISABLED_UPDATE" -> {
                event.allow(Set.of("event", "ban_state", "ban_date"));
                String ban = event.text("ban_state", "DISABLE").toUpperCase(Locale.ROOT);
                if (ban.equals("DISABLE") || ban.equals("REINSTATE")) {
                    boolean disable = ban.equals("DISABLE");
                    effects.add(waba + (disable ? " is disabled" : " is reinstated"),
                            () -> state.platform().disabled(waba, disable));
                }
                return EventValues.accountDisabled(ban, event.text("ban_date", PlatformEvents.banDate(now)));
            }
            case "ACCOUNT_VIOLATION" -> {
                event.allow(Set.of("event", "violation_type"));
                return EventValues.accountViolation(event.required("violation_type"));
            }
            case "MM_LITE_TERMS_SIGNED" -> {
                event.allow(Set.of("event", "owner_business_id"));
                List<NumberState> numbers = state.numbers().stream().filter(n -> n.wabaId().equals(waba)).toList();
                effects.add("the numbers of " + waba + " may use the Marketing Messages API",
                        () -> numbers.forEach(n -> n.marketingMessagesOnboarded(true)));
                return EventValues.marketingTermsSigned(waba,
                        event.text("owner_business_id", numbers.get(0).portfolioId()));
            }
            default -> {
                event.allow(Set.of("event"));
                return JsonNodeFactory.instance.objectNode().put("event", name);
            }
        }
    }

    /**
     * {@code restriction_info} as given (Meta's shape: {@code [{"restriction_type", "expiration": <epoch s>}]}), or
     * one restriction from {@code restriction_type} (default RESTRICTED_BIZ_INITIATED_MESSAGING) and
     * {@code expiration} (epoch s) or {@code expires_in} (ms or ISO-8601 from now; default 24 h).
     */
    private static ArrayNode restrictionInfo(EventRequest event, long now) {
        JsonNode given = event.node("restriction_info");
        if (given != null) {
            if (!given.isArray() || given.isEmpty()) {
                throw new IllegalArgumentException("account_update: restriction_info must be a non-empty array");
            }
            for (JsonNode r : given) {
                if (!r.path("restriction_type").isTextual() || !r.path("expiration").canConvertToLong()) {
                    throw new IllegalArgumentException("account_update: each restriction_info entry needs"
                            + " restriction_type (text) and expiration (epoch seconds), got " + r);
                }
            }
            return (ArrayNode) given.deepCopy();
        }
        long expiration;
        if (event.node("expiration") != null) {
            expiration = event.node("expiration").asLong();
        } else {
            Duration in = event.node("expires_in") == null ? Duration.ofHours(24)
                    : SettingsJson.duration(event.node("expires_in"), "expires_in");
            expiration = Math.floorDiv(now + in.toMillis() + 999, 1000);
        }
        ArrayNode info = PlatformEvents.array();
        info.addObject().put("restriction_type", event.text("restriction_type", PlatformRules.BIZ_INITIATED))
                .put("expiration", expiration);
        return info;
    }

    /**
     * A {@code system} message under {@code messages}: {@code user_changed_number} ({@code user}: the old phone,
     * {@code new_phone}) or {@code user_changed_user_id} ({@code user}: phone or BSUID; {@code new_user_id}, default
     * a fresh one of the same country). The sandbox's BSUIDs follow the phone, so it has nothing to change.
     */
    static JsonNode system(SandboxState state, EventRequest event, long now) {
        event.allow(Set.of("system", "user", "new_phone", "new_user_id", "name"));
        NumberState number = event.requireNumber();
        String type = event.required("system");
        Recipient user = state.person(number, event.required("user"));
        String name = event.text("name", "Customer");
        String wamid = "wamid.system." + java.util.UUID.randomUUID();
        ObjectNode system = JsonNodeFactory.instance.objectNode();
        switch (type) {
            case "user_changed_number" -> {
                if (user.digits() == null) {
                    throw new IllegalArgumentException("user_changed_number: 'user' must be a phone number (the old"
                            + " one) or a BSUID the sandbox issued");
                }
                Recipient next = state.person(number, event.required("new_phone"));
                system.put("body", "User " + name + " changed from " + user.digits() + " to " + next.digits());
                system.put("wa_id", next.digits());
                system.put("user_id", next.userId()).put("previous_user_id", user.userId());
                system.put("parent_user_id", state.parentBsuid(next.digits()))
                        .put("previous_parent_user_id", state.parentBsuid(user.digits()));
                return EventValues.systemMessage(PlatformEvents.metadata(number), type, wamid, user.digits(), system,
                        now / 1000);
            }
            case "user_changed_user_id" -> {
                String next = event.text("new_user_id", user.userId().substring(0, 3)
                        + String.format("%020d", Math.floorMod(java.util.UUID.randomUUID().getMostSignificantBits(),
                        100_000_000_000_000_000L)));
                if (!UserIds.isUserId(next)) {
                    throw new IllegalArgumentException("user_changed_user_id: new_user_id is not a BSUID: " + next);
                }
                system.put("body", "User " + name + " changed from " + user.userId() + " to " + next);
                system.put("user_id", next).put("previous_user_id", user.userId());
                return EventValues.systemMessage(PlatformEvents.metadata(number), type, wamid, null, system,
                        now / 1000);
            }
            default -> throw new IllegalArgumentException("messages: 'system' is user_changed_number or"
                    + " user_changed_user_id (post other messages raw with \"value\"), got " + type);
        }
    }
}
