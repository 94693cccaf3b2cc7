package io.wabatch.sender.pace;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The API's limit as the API counts it: at most {@code limit} messages in each wall-clock second (the
 * channel's pace and burst, which stay within its mps less the customers' messages expected in the
 * second). The pace stays below it, so this cap rarely holds anything back; it exists for the time
 * between taking a pace token and sending (the send ledger's acknowledgement, a busy event loop),
 * whose jitter could otherwise bunch messages of two seconds into one. A Bucket4j bucket per
 * channel, refilled to the limit at every second boundary of the wall clock. Confined to the
 * sender's event loop.
 */
public final class SecondCap {

    private final Vertx vertx;
    private final Map<String, Bucket> buckets = new HashMap<>();
    private final Map<String, Integer> capacities = new HashMap<>();

    public SecondCap(Vertx vertx, Map<String, Integer> limits) {
        this.vertx = vertx;
        limits.forEach(this::setLimit);
    }

    /** Completes when a message may go to the API without passing the limit of the current second. */
    public Future<Void> acquire(String channel) {
        Bucket bucket = buckets.get(channel);
        if (bucket == null || bucket.tryConsume(1)) {
            return Future.succeededFuture();
        }
        Promise<Void> next = Promise.promise();
        long toNextSecond = 1_000 - System.currentTimeMillis() % 1_000;
        vertx.setTimer(Math.max(1, toNextSecond), t -> acquire(channel).onComplete(next));
        return next.future();
    }

    /**
     * The channel's limit in messages per second; a change keeps what the current second has sent already
     * (its pace follows the inbound rate, a pace override through wa.control changes it).
     */
    public void setLimit(String channel, int limit) {
        Instant nextSecond = Instant.ofEpochMilli((System.currentTimeMillis() / 1_000 + 1) * 1_000);
        Bucket before = buckets.get(channel);
        long used = before == null ? 0 : capacities.get(channel) - before.getAvailableTokens();
        Bucket bucket = Bucket.builder().withMillisecondPrecision()
                .addLimit(Bandwidth.builder().capacity(limit).refillIntervallyAligned(limit, Duration.ofSeconds(1), nextSecond)
                        .build())
                .build();
        // The new bucket starts full until the next second: what this second sent stays spent.
        if (used > 0) {
            bucket.tryConsume(Math.min(limit, used));
        }
        buckets.put(channel, bucket);
        capacities.put(channel, limit);
    }
}
