package io.wabatch.sender.ledger;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reader that rebuilds a partition's {@link PartitionIndex} from the ledger topic when the
 * partition is assigned: the records of the last {@code horizon} (found by timestamp), read with a
 * fresh group-less consumer, installed in the {@link SentIndex} if the partition is still owned.
 *
 * <p>Threading: {@link #start}, {@link #stop} and {@link #ready} may be called from any thread; the
 * reading runs on a thread of the rebuild's own (a consumer blocks). Errors: a failed read is logged
 * and tried again every second until it succeeds or the rebuild is closed, so {@link #ready} never
 * fails; an unreadable record is skipped.
 */
final class LedgerRebuild {

    /** Logs under the ledger's name, as before the ledger was split. */
    private static final Logger LOG = LoggerFactory.getLogger(SendLedger.class);

    private final String topic;
    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final Duration horizon;
    private final Clock clock;
    private final SentIndex index;
    private final Map<Integer, CompletableFuture<Integer>> rebuilt = new ConcurrentHashMap<>();
    private final ScheduledExecutorService rebuilds = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "ledger-rebuild");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean closed;

    LedgerRebuild(String topic, Supplier<Consumer<byte[], byte[]>> consumers, Duration horizon, Clock clock,
                  SentIndex index) {
        this.topic = topic;
        this.consumers = consumers;
        this.horizon = horizon;
        this.clock = clock;
        this.index = index;
    }

    /** Starts rebuilding the partition, now this sender's. */
    void start(int partition) {
        // Registered before the task runs: a rebuild installs its result only while its partition is
        // registered, and a fast one could otherwise finish first and install nothing.
        CompletableFuture<Integer> done = new CompletableFuture<>();
        rebuilt.put(partition, done);
        rebuilds.execute(() -> tryRebuild(partition, done));
    }

    /** The partition is no longer this sender's: a rebuild still running installs nothing. */
    void stop(int partition) {
        rebuilt.remove(partition);
    }

    /** Completes, on the caller's context, when the partition's ledger has been rebuilt. */
    Future<Void> ready(int partition) {
        CompletableFuture<Integer> rebuild = rebuilt.get(partition);
        if (rebuild == null || rebuild.isDone()) {
            return Future.succeededFuture();
        }
        Context context = Vertx.currentContext();
        Promise<Void> done = Promise.promise();
        rebuild.whenComplete((n, error) -> {
            if (context != null) {
                context.runOnContext(v -> done.tryComplete());
            } else {
                done.tryComplete();
            }
        });
        return done.future();
    }

    void close() {
        closed = true;
        rebuilds.shutdownNow();
    }

    /**
     * Reads the partition's ledger records of the last {@code horizon} on the rebuild thread and
     * replaces what is known of the partition with them, trying again every second while the broker
     * cannot be read. Completes with the number of jobs found.
     */
    private void tryRebuild(int partition, CompletableFuture<Integer> done) {
        if (closed) {
            done.complete(0);
            return;
        }
        try {
            done.complete(readPartition(partition, done));
        } catch (RuntimeException e) {
            LOG.warn("rebuilding the ledger of partition {} failed ({}); trying again in 1 s", partition, e.toString());
            rebuilds.schedule(() -> tryRebuild(partition, done), 1, TimeUnit.SECONDS);
        }
    }

    private int readPartition(int partition, CompletableFuture<Integer> done) {
        long started = System.nanoTime();
        PartitionIndex entries = index.fresh();
        TopicPartition tp = new TopicPartition(topic, partition);
        try (Consumer<byte[], byte[]> consumer = consumers.get()) {
            consumer.assign(List.of(tp));
            long from = clock.millis() - horizon.toMillis();
            OffsetAndTimestamp start = consumer.offsetsForTimes(Map.of(tp, from)).get(tp);
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            consumer.seek(tp, start == null ? end : start.offset());
            int read = 0;
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    read++;
                    apply(tp, record, entries);
                }
            }
            // Only the partition's current rebuild installs: after revoke and re-assign, an older one is stale.
            if (rebuilt.get(partition) == done) {
                index.install(partition, entries);
            }
            LOG.info("ledger of partition {} rebuilt: {} record(s) of the last {}, {} job(s), in {} ms", partition,
                    read, horizon, entries.size(), (System.nanoTime() - started) / 1_000_000);
            return entries.size();
        }
    }

    private static void apply(TopicPartition tp, ConsumerRecord<byte[], byte[]> record, PartitionIndex entries) {
        try {
            for (LedgerEntry entry : LedgerEntry.decodeAll(record.value())) {
                entries.put(SentIndex.key(entry.job(), entry.generation()), entry.state(), record.timestamp());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("unreadable ledger record {}@{} skipped: {}", tp, record.offset(), e.toString());
        }
    }
}
