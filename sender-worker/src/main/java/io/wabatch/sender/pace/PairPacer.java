package io.wabatch.sender.pace;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pair rate limit (facts §5): at most {@code burst} messages to one recipient, then one per
 * {@code window} (WhatsApp: 1 per 6 s), per channel. A message to a recipient that must wait
 * holds only its own slot: other recipients are not delayed. Entries of recipients idle for a
 * full refill are dropped, so memory follows the recipients active in the last minute, not the
 * campaign. Confined to the sender's event loop.
 */
public final class PairPacer {

    private final Vertx vertx;
    private final Duration window;
    private final int burst;
    private final Map<String, Entry> pairs = new LinkedHashMap<>(1024, 0.75f, true);

    public PairPacer(Vertx vertx, Duration window, int burst) {
        this.vertx = vertx;
        this.window = window;
        this.burst = burst;
    }

    /** Completes when a message to {@code pair} ({@code <channel>/<recipient>}) may go. */
    public Future<Void> acquire(String pair) {
        long now = System.nanoTime();
        expireIdle(now);
        Entry entry = pairs.computeIfAbsent(pair, p -> newEntry());
        entry.lastUse = now;
        long waitNanos = entry.bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
        if (waitNanos <= 0) {
            return Future.succeededFuture();
        }
        entry.lastUse = now + waitNanos;
        Promise<Void> due = Promise.promise();
        vertx.setTimer(Math.max(1, (waitNanos + 999_999) / 1_000_000), t -> due.complete());
        return due.future();
    }

    /** The message to {@code pair} goes to the API now: the window counts from here. */
    public void sent(String pair) {
        long now = System.nanoTime();
        Entry entry = pairs.computeIfAbsent(pair, p -> newEntry());
        entry.lastUse = now;
        entry.bucket.consumeIgnoringRateLimits(1);
    }

    private Entry newEntry() {
        return new Entry(Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(1, window).initialTokens(burst).build())
                .build());
    }

    /** Recipients tracked right now. */
    public int tracked() {
        return pairs.size();
    }

    private void expireIdle(long now) {
        long idle = window.toNanos() * burst;
        Iterator<Entry> eldest = pairs.values().iterator();
        while (eldest.hasNext()) {
            Entry entry = eldest.next();
            if (now - entry.lastUse < idle) {
                return;
            }
            eldest.remove();
        }
    }

    private static final class Entry {
        final Bucket bucket;
        long lastUse;

        Entry(Bucket bucket) {
            this.bucket = bucket;
        }
    }
}
