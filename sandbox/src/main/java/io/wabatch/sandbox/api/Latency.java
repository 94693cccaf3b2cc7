package io.wabatch.sandbox.api;

import java.time.Duration;

/**
 * How long the sandbox waits before it writes each {@code POST /messages} and {@code POST /media}
 * answer: uniform between {@code min} and {@code max} (equal for a fixed delay). The request is
 * processed (and recorded) at once; only the answer waits, on a Vert.x timer.
 *
 * @param min the shortest delay (≥ 0)
 * @param max the longest delay (≥ {@code min}, at most 10 minutes)
 */
public record Latency(Duration min, Duration max) {

    private static final Duration LIMIT = Duration.ofMinutes(10);

    /** No delay. */
    public static final Latency NONE = new Latency(Duration.ZERO, Duration.ZERO);

    /** Validates. */
    public Latency {
        if (min == null || max == null || min.isNegative() || max.compareTo(min) < 0 || max.compareTo(LIMIT) > 0) {
            throw new IllegalArgumentException("latency needs 0 <= min <= max <= 10 min, got min " + min
                    + ", max " + max);
        }
    }

    /** Always {@code delay}. */
    public static Latency fixed(Duration delay) {
        return new Latency(delay, delay);
    }

    /** Uniform between {@code min} and {@code max}, both included. */
    public static Latency uniform(Duration min, Duration max) {
        return new Latency(min, max);
    }

    /** Whether answers are delayed at all. */
    public boolean isNone() {
        return max.isZero();
    }
}
