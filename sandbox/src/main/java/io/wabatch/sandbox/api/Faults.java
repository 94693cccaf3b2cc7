package io.wabatch.sandbox.api;

import java.time.Duration;

/**
 * Random faults injected into {@code POST /messages}: the share (0..1) of requests that get each
 * kind. Each request draws once: {@code http500} first, then {@code timeout}, then {@code reset}, so
 * the shares must add up to at most 1.
 *
 * @param mode    {@link FaultMode#BEFORE_ACCEPT} (nothing recorded) or {@link FaultMode#AFTER_ACCEPT}
 *                (recorded as accepted, then the answer is lost)
 * @param http500 share answered HTTP 500, code 131000 "Something went wrong"
 * @param timeout share never answered: held until the client gives up, closed after {@code maxHold}
 * @param reset   share whose connection (HTTP/1.1) or stream (HTTP/2) is closed without an answer
 * @param maxHold how long a timed-out request is held at most before it is closed (bounds memory)
 */
public record Faults(FaultMode mode, double http500, double timeout, double reset, Duration maxHold) {

    /** How long a {@code timeout} request is held by default. */
    public static final Duration DEFAULT_MAX_HOLD = Duration.ofSeconds(60);

    /** Validates; a {@code null} mode is {@code before_accept}, a {@code null} maxHold the default. */
    public Faults {
        mode = mode == null ? FaultMode.BEFORE_ACCEPT : mode;
        maxHold = maxHold == null ? DEFAULT_MAX_HOLD : maxHold;
        check("http500", http500);
        check("timeout", timeout);
        check("reset", reset);
        if (http500 + timeout + reset > 1.0 + 1e-9) {
            throw new IllegalArgumentException("faults: http500 + timeout + reset must be at most 1, got "
                    + (http500 + timeout + reset));
        }
        if (maxHold.isNegative() || maxHold.isZero() || maxHold.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("faults.max_hold must be positive and at most 1 h, got " + maxHold);
        }
    }

    /** No faults. */
    public static Faults none() {
        return new Faults(FaultMode.BEFORE_ACCEPT, 0, 0, 0, DEFAULT_MAX_HOLD);
    }

    /** Faults before acceptance with the given shares. */
    public static Faults beforeAccept(double http500, double timeout, double reset) {
        return new Faults(FaultMode.BEFORE_ACCEPT, http500, timeout, reset, DEFAULT_MAX_HOLD);
    }

    /** Faults after acceptance (the answer is lost) with the given shares. */
    public static Faults afterAccept(double http500, double timeout, double reset) {
        return new Faults(FaultMode.AFTER_ACCEPT, http500, timeout, reset, DEFAULT_MAX_HOLD);
    }

    /** These shares with another maximum hold for timed-out requests. */
    public Faults withMaxHold(Duration value) {
        return new Faults(mode, http500, timeout, reset, value);
    }

    /** Whether any share is above zero. */
    public boolean any() {
        return http500 + timeout + reset > 0;
    }

    private static void check(String name, double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("faults." + name + " must be a share in 0..1, got " + share);
        }
    }
}
