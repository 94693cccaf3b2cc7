package io.wabatch.sandbox.api;

import java.time.Duration;

/**
 * The pair rate limit (code 131056): per (number, recipient) a token bucket of {@code burst}
 * tokens, refilled one token per {@code window}. Meta allows one message per 6 s to the same user,
 * with bursts that borrow from future quota.
 *
 * @param window the refill interval of one token, or {@code null} when the limit is off
 * @param burst  the bucket's capacity: messages one recipient may get at once (≥ 1)
 */
public record PairLimit(Duration window, int burst) {

    /** Meta's pair rate: one message per 6 s. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(6);
    /** No burst beyond the one message. */
    public static final int DEFAULT_BURST = 1;

    /** Validates; a zero window means off and becomes {@code null}. */
    public PairLimit {
        if (window != null && window.isNegative()) {
            throw new IllegalArgumentException("pair_limit.window must not be negative, got " + window);
        }
        window = window == null || window.isZero() ? null : window;
        if (burst < 1) {
            throw new IllegalArgumentException("pair_limit.burst must be at least 1, got " + burst);
        }
    }

    /** The real API's limit: one message per 6 s, burst 1. */
    public static PairLimit defaults() {
        return new PairLimit(DEFAULT_WINDOW, DEFAULT_BURST);
    }

    /** No pair limit. */
    public static PairLimit disabled() {
        return new PairLimit(null, DEFAULT_BURST);
    }

    /** {@code burst} messages at once, then one per {@code window}. */
    public static PairLimit of(Duration window, int burst) {
        return new PairLimit(window, burst);
    }

    /** Whether the limit applies. */
    public boolean enabled() {
        return window != null;
    }
}
