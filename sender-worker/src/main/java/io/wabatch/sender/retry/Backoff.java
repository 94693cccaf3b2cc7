package io.wabatch.sender.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter" and a cap: attempt n waits a random time in
 * {@code [d/2, d]} with {@code d = min(cap, initial × 2^(n-1))}, so retries of many messages spread
 * out instead of hitting the API together.
 */
public record Backoff(Duration initial, Duration cap) {

    /** The wait before retry number {@code attempt} (1 = first retry). */
    public Duration delay(int attempt) {
        long ceiling = initial.toMillis() << Math.min(Math.max(attempt - 1, 0), 30);
        long bounded = Math.min(cap.toMillis(), Math.max(ceiling, 1));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(bounded / 2, bounded + 1));
    }
}
