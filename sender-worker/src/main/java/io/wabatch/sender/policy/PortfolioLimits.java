package io.wabatch.sender.policy;

import io.wabatch.common.channel.Channel;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each business portfolio's messaging limit (unique users per rolling 24 hours outside the service window) as
 * the platform last announced it ({@code business_capability_update}, or {@code phone_number_quality_update}
 * with {@code max_daily_conversations_per_business}), over the registry's {@code tier}. An announced limit holds
 * until the next one; a sender reads the last day of platform events at start, so a limit announced longer ago
 * than that falls back to the registry's until it is announced again (keep the registry current).
 * Thread-safe.
 */
public final class PortfolioLimits {

    /** What the platform says for "unlimited". */
    public static final int UNLIMITED = -1;

    /** Portfolio → announced limit; {@link Optional#empty()} for unlimited. */
    private final Map<String, Optional<Integer>> announced = new ConcurrentHashMap<>();

    /** The limit the channel's portfolio is held to now: the announced one, else the registry's; null: none. */
    public Integer tier(Channel channel) {
        Optional<Integer> limit = announced.get(channel.portfolio());
        return limit == null ? channel.tier() : limit.orElse(null);
    }

    /**
     * Holds {@code portfolio} to {@code limit} from now on.
     *
     * @param limit users per 24 hours, or {@value #UNLIMITED}
     * @return true when this changed the limit the portfolio is held to
     */
    public boolean announce(String portfolio, int limit, Integer registryTier) {
        Optional<Integer> next = limit == UNLIMITED ? Optional.empty() : Optional.of(limit);
        Optional<Integer> before = announced.put(portfolio, next);
        Optional<Integer> was = before != null ? before : Optional.ofNullable(registryTier);
        return !was.equals(next);
    }

    /**
     * A limit as the platform writes it: a number ({@code 2000}, {@code -1}), or a tier name ({@code TIER_2K},
     * {@code TIER_100K}, {@code TIER_UNLIMITED}, {@code TIER_250}); null when it is none of these.
     */
    public static Integer parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String value = text.trim().toUpperCase(Locale.ROOT);
        value = value.startsWith("TIER_") ? value.substring(5) : value;
        if (value.equals("UNLIMITED")) {
            return UNLIMITED;
        }
        int factor = 1;
        if (value.endsWith("K")) {
            factor = 1_000;
            value = value.substring(0, value.length() - 1);
        } else if (value.endsWith("M")) {
            factor = 1_000_000;
            value = value.substring(0, value.length() - 1);
        }
        try {
            long limit = Long.parseLong(value) * factor;
            if (limit == UNLIMITED) {
                return UNLIMITED;
            }
            return limit > 0 && limit <= Integer.MAX_VALUE ? Integer.valueOf((int) limit) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
