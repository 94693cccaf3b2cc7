package io.wabatch.common.pace;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Paces named streams (a channel's messages, a channel's uploads) with smooth Bucket4j token
 * buckets: {@code rate} tokens per second refilled continuously, at most {@code burst} stored. With
 * {@code rate + burst ≤ limit}, no one-second window can see more than the limit.
 *
 * <p>{@link #acquire} reserves the next token and completes when it is due, on a Vert.x timer:
 * nothing blocks, and reservations are served in order. One owner per stream (DESIGN §4.1: one
 * sender per channel), so a local bucket is exact.
 */
public final class RatePacer {

    /** Bucket4j refills whole tokens per period; this scale keeps fractional rates (76.0, 950.0) exact. */
    private static final long SCALE = 1_000;

    private final Vertx vertx;
    private final Map<String, Bucket> buckets = new HashMap<>();

    /** A pace: tokens per second and the most that may be stored. */
    public record Rate(double perSecond, int burst) {
    }

    public RatePacer(Vertx vertx, Map<String, Rate> rates) {
        this.vertx = vertx;
        rates.forEach((name, rate) -> buckets.put(name, bucket(rate.perSecond(), rate.burst(), TimeMeter.SYSTEM_NANOTIME)));
    }

    static Bucket bucket(double perSecond, int burst, TimeMeter clock) {
        long tokensPerScaledPeriod = Math.max(1, Math.round(perSecond * SCALE));
        return Bucket.builder()
                .withCustomTimePrecision(clock)
                .addLimit(Bandwidth.builder().capacity(burst)
                        .refillGreedy(tokensPerScaledPeriod, Duration.ofSeconds(SCALE))
                        .initialTokens(0) // a new owner does not know what the previous one sent this second
                        .build())
                .build();
    }

    /** Completes when the stream may go ahead by one; fails for an unknown stream. */
    public Future<Void> acquire(String name) {
        Bucket bucket = buckets.get(name);
        if (bucket == null) {
            return Future.failedFuture(new IllegalArgumentException("no pace for unknown stream " + name));
        }
        long waitNanos = bucket.consumeIgnoringRateLimits(1);
        if (waitNanos <= 0) {
            return Future.succeededFuture();
        }
        Promise<Void> due = Promise.promise();
        vertx.setTimer(Math.max(1, (waitNanos + 999_999) / 1_000_000), t -> due.complete());
        return due.future();
    }
}
