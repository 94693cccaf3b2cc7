package io.wabatch.sender.pace;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.wabatch.common.channel.Channel;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Paces each channel with a smooth Bucket4j token bucket: {@code pace = mps × headroom} tokens per
 * second refilled continuously, at most {@code burst} stored. Since {@code pace + burst ≤ mps}
 * (checked by the registry), no one-second window can see more than the number's limit.
 *
 * <p>{@link #acquire} reserves the next token and completes when it is due, on a Vert.x timer:
 * nothing blocks, and reservations are served in order. One sender owns each channel
 * (DESIGN §4.1), so a local bucket is exact.
 */
public final class ChannelPacer {

    /** Bucket4j refills in whole tokens per period; this scale keeps fractional paces (76.0, 950.0) exact. */
    private static final long SCALE = 1_000;

    private final Vertx vertx;
    private final Map<String, Bucket> buckets = new HashMap<>();

    public ChannelPacer(Vertx vertx, Collection<Channel> channels) {
        this.vertx = vertx;
        channels.forEach(c -> buckets.put(c.id(), bucket(c.pace(), c.burst())));
    }

    static Bucket bucket(double pace, int burst) {
        return bucket(pace, burst, TimeMeter.SYSTEM_NANOTIME);
    }

    static Bucket bucket(double pace, int burst, TimeMeter clock) {
        long tokensPerScaledPeriod = Math.max(1, Math.round(pace * SCALE));
        return Bucket.builder()
                .withCustomTimePrecision(clock)
                .addLimit(Bandwidth.builder().capacity(burst)
                        .refillGreedy(tokensPerScaledPeriod, Duration.ofSeconds(SCALE))
                        .initialTokens(burst)
                        .build())
                .build();
    }

    /** Completes when the channel may send one message. */
    public Future<Void> acquire(String channel) {
        Bucket bucket = buckets.get(channel);
        if (bucket == null) {
            return Future.failedFuture(new IllegalArgumentException("no pace for unknown channel " + channel));
        }
        long waitNanos = bucket.consumeIgnoringRateLimits(1);
        if (waitNanos <= 0) {
            return Future.succeededFuture();
        }
        Promise<Void> due = Promise.promise();
        long millis = Math.max(1, (waitNanos + 999_999) / 1_000_000);
        vertx.setTimer(millis, t -> due.complete());
        return due.future();
    }
}
