package io.wabatch.common.pace;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Paces named streams (a channel's messages, a channel's uploads) with smooth Bucket4j token
 * buckets: {@code rate} tokens per second refilled continuously, at most {@code burst} whole tokens
 * and half a token more stored. A token is taken at the moment the caller goes ahead, never reserved
 * in advance, so a stalled event loop (GC pause, overload) cannot release a backlog of reservations
 * at once: after any pause at most {@code burst} go together. The half token keeps what came due
 * while a timer fired late (a millisecond or so; without it a burst of 1 lost 5 % of a 78 msg/s
 * pace). A window of {@code T} seconds sees at most {@code floor(rate × T + burst + 0.5)} callers,
 * so with {@code rate + burst ≤ limit} no one-second window sees more than the limit.
 *
 * <p>{@link #acquire} completes in arrival order, driven by one timer per stream that fires when
 * the next token is due. Confined to one Vert.x context: call it only from there. One owner per
 * stream (DESIGN §4.1: one sender per channel), so a local bucket is exact.
 */
public final class RatePacer {

    /**
     * The bucket counts half callers, so that it can hold the half caller beyond the burst; Bucket4j keeps
     * the fraction of a unit that came due between refills itself. (Thousandths would cap the rate at 10^6
     * callers a second: Bucket4j refills at most one unit a nanosecond.)
     */
    static final long SCALE = 2;
    /** What the bucket holds beyond the burst: half a caller (see the class comment). */
    private static final long CARRY = 1;
    /** Refill period: long, so that fractional rates (78.4, 950.5) are exact in whole units. */
    private static final long PERIOD_SECONDS = 1_000;

    private final Vertx vertx;
    private final Map<String, Stream> streams = new HashMap<>();

    /** A pace: tokens per second and the most that may be stored. */
    public record Rate(double perSecond, int burst) {
    }

    public RatePacer(Vertx vertx, Map<String, Rate> rates) {
        this.vertx = vertx;
        rates.forEach((name, rate) -> streams.put(name,
                new Stream(bucket(rate.perSecond(), rate.burst(), TimeMeter.SYSTEM_NANOTIME))));
    }

    static Bucket bucket(double perSecond, int burst, TimeMeter clock) {
        return Bucket.builder()
                .withCustomTimePrecision(clock)
                .addLimit(bandwidth(perSecond, burst).initialTokens(0).build())
                .build();
    }

    private static BucketConfiguration configuration(double perSecond, int burst) {
        return BucketConfiguration.builder().addLimit(bandwidth(perSecond, burst).build()).build();
    }

    // A new owner starts empty: it does not know what the previous one sent this second.
    private static io.github.bucket4j.BandwidthBuilder.BandwidthBuilderBuildStage bandwidth(double perSecond, int burst) {
        long perPeriod = Math.max(1, Math.round(perSecond * SCALE * PERIOD_SECONDS));
        return Bandwidth.builder().capacity(burst * SCALE + CARRY)
                .refillGreedy(perPeriod, Duration.ofSeconds(PERIOD_SECONDS));
    }

    /** Completes when the stream may go ahead by one; fails for an unknown stream. */
    public Future<Void> acquire(String name) {
        Stream stream = streams.get(name);
        if (stream == null) {
            return Future.failedFuture(new IllegalArgumentException("no pace for unknown stream " + name));
        }
        return stream.acquire();
    }

    /**
     * Changes a stream's rate at once (tokens already stored are kept); callers already waiting
     * are served at the new rate.
     */
    public void setRate(String name, Rate rate) {
        Stream stream = streams.get(name);
        if (stream == null) {
            throw new IllegalArgumentException("no pace for unknown stream " + name);
        }
        stream.bucket.replaceConfiguration(configuration(rate.perSecond(), rate.burst()),
                TokensInheritanceStrategy.AS_IS);
        stream.reschedule();
    }

    /**
     * Returns a token that was acquired but not used (its message was held back, e.g. its campaign
     * paused): the next waiter gets it at once, or the bucket keeps it (up to its burst).
     */
    public void giveBack(String name) {
        Stream stream = streams.get(name);
        if (stream == null) {
            return;
        }
        Promise<Void> next = stream.waiters.poll();
        if (next != null) {
            next.complete();
        } else {
            stream.bucket.addTokens(SCALE);
        }
    }

    /** Callers waiting for {@code name}'s next tokens. */
    public int waiting(String name) {
        Stream stream = streams.get(name);
        return stream == null ? 0 : stream.waiters.size();
    }

    /** One bucket and the callers queued for it. */
    private final class Stream {
        private final Bucket bucket;
        private final Deque<Promise<Void>> waiters = new ArrayDeque<>();
        private long timer = -1;

        Stream(Bucket bucket) {
            this.bucket = bucket;
        }

        Future<Void> acquire() {
            if (waiters.isEmpty() && bucket.tryConsume(SCALE)) {
                return Future.succeededFuture();
            }
            Promise<Void> promise = Promise.promise();
            waiters.add(promise);
            drain();
            return promise.future();
        }

        void reschedule() {
            if (timer != -1) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
            drain();
        }

        private void drain() {
            if (timer != -1) {
                return;
            }
            while (!waiters.isEmpty()) {
                ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(SCALE);
                if (!probe.isConsumed()) {
                    long millis = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999) / 1_000_000);
                    timer = vertx.setTimer(millis, t -> {
                        timer = -1;
                        drain();
                    });
                    return;
                }
                waiters.poll().complete();
            }
        }
    }
}
