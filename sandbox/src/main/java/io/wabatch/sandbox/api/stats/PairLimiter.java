package io.wabatch.sandbox.api.stats;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The pair rate limit: per (number, recipient) a token bucket of {@code burst} tokens refilled one
 * per {@code window}, kept as one "theoretical arrival time" per pair (GCRA, the same bucket in one
 * long). A pair whose bucket is full again is forgotten by a sweep that runs at most once per window,
 * so memory holds only pairs active in the last {@code burst × window}. Thread-safe.
 */
public final class PairLimiter {

    private static final long MIN_SWEEP_NANOS = Duration.ofMillis(100).toNanos();

    private final ConcurrentHashMap<String, Long> due = new ConcurrentHashMap<>();
    private final AtomicLong nextSweep = new AtomicLong();
    private final LongSupplier nanoClock;
    private volatile Settings settings;

    private record Settings(long intervalNanos, long toleranceNanos) {
    }

    /** A limiter on the system's monotonic clock; {@code window} null = off. */
    public PairLimiter(Duration window, int burst) {
        this(window, burst, System::nanoTime);
    }

    /** A limiter on {@code nanoClock} (monotonic nanoseconds), for tests. */
    public PairLimiter(Duration window, int burst, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        configure(window, burst);
        nextSweep.set(nanoClock.getAsLong());
    }

    /**
     * Spends one token of the pair if it has one.
     *
     * @return whether the message may be accepted (always true when the limit is off)
     */
    public boolean tryAcquire(String number, String recipient) {
        Settings s = settings;
        if (s == null) {
            return true;
        }
        long now = nanoClock.getAsLong();
        sweepIfDue(now, s);
        boolean[] admitted = new boolean[1];
        due.compute(key(number, recipient), (k, previous) -> {
            long start = previous == null || previous - now < 0 ? now : previous;
            if (start - now > s.toleranceNanos()) {
                return previous;
            }
            admitted[0] = true;
            return start + s.intervalNanos();
        });
        return admitted[0];
    }

    /** Gives back the token of an acquisition whose message was rejected for another reason. */
    public void refund(String number, String recipient) {
        Settings s = settings;
        if (s != null) {
            due.computeIfPresent(key(number, recipient), (k, v) -> v - s.intervalNanos());
        }
    }

    /** Changes the limit ({@code window} null or zero = off) and forgets every pair. */
    public void configure(Duration window, int burst) {
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1, got " + burst);
        }
        settings = window == null || window.isZero() ? null
                : new Settings(window.toNanos(), window.toNanos() * (burst - 1));
        due.clear();
    }

    /** Pairs currently remembered (those whose bucket is not full); for tests and stats. */
    public int trackedPairs() {
        Settings s = settings;
        if (s != null) {
            sweep(nanoClock.getAsLong());
        }
        return due.size();
    }

    /** Forgets every pair: all buckets full. */
    public void reset() {
        due.clear();
    }

    private void sweepIfDue(long now, Settings s) {
        long next = nextSweep.get();
        if (now - next >= 0 && nextSweep.compareAndSet(next, now + Math.max(s.intervalNanos(), MIN_SWEEP_NANOS))) {
            sweep(now);
        }
    }

    private void sweep(long now) {
        // Conditional removal: an entry updated meanwhile no longer matches and stays.
        due.entrySet().removeIf(e -> e.getValue() - now <= 0);
    }

    private static String key(String number, String recipient) {
        return number + '|' + recipient;
    }
}
