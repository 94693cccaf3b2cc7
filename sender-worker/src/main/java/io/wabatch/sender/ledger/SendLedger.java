package io.wabatch.sender.ledger;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.wabatch.common.contract.ReadyJob;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send ledger (DESIGN decision 8): before each API call the sender writes an
 * {@link LedgerEntry.State#ATTEMPT} and waits for its acknowledgement; the call's outcome follows
 * with the job's result. Both go to {@code wa.send-ledger}, co-partitioned with the ready topic, so
 * the owner of a channel's partition finds its history in the same partition number.
 *
 * <p>When a partition is assigned, its ledger is {@linkplain #rebuild rebuilt} from the records of
 * the last {@code horizon} (found by timestamp) before any of its jobs is handled. A redelivered job
 * (a crash or a rebalance between the send and the offset commit, a relay that passed a deferred job
 * on twice) is then recognised: accepted or otherwise finished before → suppressed; attempted
 * without an outcome → in doubt. The horizon must cover the oldest job that can be redelivered:
 * redelivery starts at the committed offset, which trails the work by the commit interval and the
 * longest call, so minutes are plenty.
 *
 * <p>Attempts and not-sent notes are gathered while the caller's event-loop task runs and then
 * written together, one record per partition ({@link LedgerEntry.Batch}), so the broker appends and
 * acknowledges one record per turn of the loop instead of one per message. They are handed to the
 * producer on a thread of the ledger's own, never on the caller's event loop: {@code send()} blocks
 * while the topic's metadata is unknown, e.g. for as long as the broker is away. Outcomes go out with
 * the results, from the loop's thread, so a job's records can reach the topic out of order; a
 * generation once finished stays finished.
 *
 * <p>Memory: one entry per (job, generation) seen within the horizon, keyed by a 64-bit hash of
 * the two (a collision, about 1 in 10^8 at a million entries, would suppress one job).
 */
public final class SendLedger implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SendLedger.class);

    /**
     * Entries per record at most: about 150 bytes each, so a record stays far below the topic's
     * {@code max.message.bytes} however many records one poll starts.
     */
    static final int MAX_BATCH = 500;

    private final String topic;
    private final Producer<byte[], byte[]> producer;
    private final Function<String, Integer> partitionOf;
    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final Duration horizon;
    private final Clock clock;
    private final Map<Integer, Entries> partitions = new ConcurrentHashMap<>();
    private final Map<Integer, CompletableFuture<Integer>> rebuilt = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private final java.util.concurrent.ScheduledExecutorService rebuilds = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "ledger-rebuild");
        thread.setDaemon(true);
        return thread;
    });
    private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "ledger-writer");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param partitionOf the partition of a channel (the registry's)
     * @param consumers   a new consumer for each rebuild (no group needed; closed after use)
     */
    public SendLedger(String topic, Producer<byte[], byte[]> producer, Function<String, Integer> partitionOf,
                      Supplier<Consumer<byte[], byte[]>> consumers, Duration horizon, Clock clock) {
        this.topic = topic;
        this.producer = producer;
        this.partitionOf = partitionOf;
        this.consumers = consumers;
        this.horizon = horizon;
        this.clock = clock;
    }

    /** The partition is now this sender's: its ledger is rebuilt before its jobs are handled ({@link #ready}). */
    public void assigned(int partition) {
        partitions.remove(partition);
        rebuilt.put(partition, rebuild(partition));
    }

    /** The partition is no longer this sender's. */
    public void revoked(int partition) {
        rebuilt.remove(partition);
        partitions.remove(partition);
    }

    /** Completes, on the caller's context, when the partition's ledger has been rebuilt. */
    public Future<Void> ready(int partition) {
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

    /** What the ledger knows of this generation of the job, or null. */
    public LedgerEntry.State state(ReadyJob job) {
        Entries entries = partitions.get(partitionOf.apply(job.channel()));
        return entries == null ? null : entries.get(key(job.jobId(), job.generation()));
    }

    /**
     * Writes that call {@code attempt} is about to be made; completes, on the caller's Vert.x context,
     * once the broker acknowledged it. Fails when it cannot be written: then the call must not be made.
     */
    public Future<Void> attempt(ReadyJob job, int attempt) {
        Promise<Void> written = Promise.promise();
        remember(job, LedgerEntry.State.ATTEMPT);
        enqueue(new Pending(partitionOf.apply(job.channel()), entry(job, LedgerEntry.State.ATTEMPT, attempt, null),
                written, Vertx.currentContext()));
        return written.future();
    }

    /**
     * Notes a state that needs no acknowledgement before going on (the API proved a call was not
     * processed): if it is lost in a crash, the job merely looks in doubt, the safe side.
     */
    public void note(ReadyJob job, LedgerEntry.State state, int attempt) {
        remember(job, state);
        enqueue(new Pending(partitionOf.apply(job.channel()), entry(job, state, attempt, null), null, null));
    }

    /**
     * The ledger record of a job's outcome, to produce with its result (before the offset commit),
     * and remembered at once.
     */
    public ProducerRecord<byte[], byte[]> outcome(ReadyJob job, LedgerEntry.State state, int attempt, String wamid) {
        remember(job, state);
        return record(job, state, attempt, wamid);
    }

    /**
     * Reads the partition's ledger records of the last {@code horizon} on a background thread and
     * replaces what is known of the partition with them, trying again every second while the broker
     * cannot be read.
     */
    CompletableFuture<Integer> rebuild(int partition) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        rebuilds.execute(() -> tryRebuild(partition, done));
        return done;
    }

    private void tryRebuild(int partition, CompletableFuture<Integer> done) {
        if (closed) {
            done.complete(0);
            return;
        }
        try {
            done.complete(readPartition(partition));
        } catch (RuntimeException e) {
            LOG.warn("rebuilding the ledger of partition {} failed ({}); trying again in 1 s", partition, e.toString());
            rebuilds.schedule(() -> tryRebuild(partition, done), 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private int readPartition(int partition) {
        long started = System.nanoTime();
        Entries entries = new Entries(horizon, clock);
        TopicPartition tp = new TopicPartition(topic, partition);
        try (Consumer<byte[], byte[]> consumer = consumers.get()) {
            consumer.assign(List.of(tp));
            long from = clock.millis() - horizon.toMillis();
            OffsetAndTimestamp start = consumer.offsetsForTimes(Map.of(tp, from)).get(tp);
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            if (start == null) {
                consumer.seek(tp, end);
            } else {
                consumer.seek(tp, start.offset());
            }
            int read = 0;
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    read++;
                    try {
                        for (LedgerEntry entry : LedgerEntry.decodeAll(record.value())) {
                            entries.put(key(entry.job(), entry.generation()), entry.state(), record.timestamp());
                        }
                    } catch (java.io.IOException | RuntimeException e) {
                        LOG.warn("unreadable ledger record {}@{} skipped: {}", tp, record.offset(), e.toString());
                    }
                }
            }
            if (rebuilt.containsKey(partition)) {
                partitions.put(partition, entries);
            }
            LOG.info("ledger of partition {} rebuilt: {} record(s) of the last {}, {} job(s), in {} ms", partition,
                    read, horizon, entries.size(), (System.nanoTime() - started) / 1_000_000);
            return entries.size();
        }
    }

    /** Jobs remembered, all partitions (for a gauge). */
    public int size() {
        return partitions.values().stream().mapToInt(Entries::size).sum();
    }

    @Override
    public void close() {
        closed = true;
        rebuilds.shutdownNow();
        writer.shutdown();
    }

    /** An attempt or note on its way to the topic, with whom to tell of the acknowledgement. */
    private record Pending(int partition, LedgerEntry entry, Promise<Void> written, Context context) {
        void complete(Exception error) {
            if (written == null) {
                return;
            }
            if (error == null) {
                written.tryComplete();
            } else {
                written.tryFail(error);
            }
        }
    }

    /**
     * Tells each entry's caller that its record was acknowledged ({@code error} null) or failed: one task
     * per caller's context (typically one in all), not one per entry.
     */
    private static void done(List<Pending> entries, Exception error) {
        Map<Context, List<Pending>> byContext = new LinkedHashMap<>();
        for (Pending entry : entries) {
            if (entry.written() == null) {
                continue;
            }
            if (entry.context() == null) {
                entry.complete(error);
            } else {
                byContext.computeIfAbsent(entry.context(), c -> new ArrayList<>()).add(entry);
            }
        }
        byContext.forEach((context, waiting) -> context.runOnContext(v -> waiting.forEach(e -> e.complete(error))));
    }

    /**
     * Queues the entry for the next flush, which runs once the caller's current event-loop task is over:
     * what one turn of the loop produced (typically every record of a poll) goes out together.
     */
    private void enqueue(Pending entry) {
        pending.add(entry);
        if (flushScheduled.compareAndSet(false, true)) {
            Context context = Vertx.currentContext();
            try {
                if (context != null) {
                    context.runOnContext(v -> flush());
                    return;
                }
            } catch (RuntimeException e) {
                // The context is closing: flush now rather than strand the entry.
            }
            flush();
        }
    }

    /**
     * Hands what is queued to the writer thread, which produces one record per partition (entries in call
     * order) and tells each entry's caller when its record is acknowledged, or failed.
     */
    private void flush() {
        flushScheduled.set(false);
        List<Pending> batch = new ArrayList<>();
        for (Pending entry = pending.poll(); entry != null; entry = pending.poll()) {
            batch.add(entry);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            writer.execute(() -> write(batch));
        } catch (RejectedExecutionException e) {
            done(batch, e);
        }
    }

    /** On the writer thread: {@code send()} may block while the broker is away. */
    private void write(List<Pending> batch) {
        Map<Integer, List<Pending>> byPartition = new LinkedHashMap<>();
        batch.forEach(entry -> byPartition.computeIfAbsent(entry.partition(), p -> new ArrayList<>()).add(entry));
        byPartition.forEach((partition, all) -> {
            for (int from = 0; from < all.size(); from += MAX_BATCH) {
                List<Pending> entries = all.subList(from, Math.min(all.size(), from + MAX_BATCH));
                try {
                    byte[] value = LedgerEntry.encodeAll(entries.stream().map(Pending::entry).toList());
                    producer.send(new ProducerRecord<>(topic, partition, null, value),
                            (metadata, error) -> done(entries, error));
                } catch (RuntimeException e) {
                    done(entries, e);
                }
            }
        });
    }

    private void remember(ReadyJob job, LedgerEntry.State state) {
        partitions.computeIfAbsent(partitionOf.apply(job.channel()), p -> new Entries(horizon, clock))
                .put(key(job.jobId(), job.generation()), state, clock.millis());
    }

    private LedgerEntry entry(ReadyJob job, LedgerEntry.State state, int attempt, String wamid) {
        return new LedgerEntry(job.jobId(), job.generation(), state, attempt, wamid, clock.instant());
    }

    private ProducerRecord<byte[], byte[]> record(ReadyJob job, LedgerEntry.State state, int attempt, String wamid) {
        return new ProducerRecord<>(topic, job.key().getBytes(StandardCharsets.UTF_8),
                entry(job, state, attempt, wamid).encode());
    }

    /**
     * A 64-bit hash of (job, generation): FNV-1a over the id's characters and the generation, then
     * MurmurHash3's finaliser to spread the bits. Taken several times per message, so no digest.
     */
    static long key(String job, int generation) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < job.length(); i++) {
            hash = (hash ^ job.charAt(i)) * 0x100000001b3L;
        }
        hash = (hash ^ generation) * 0x100000001b3L;
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        return hash ^ (hash >>> 33);
    }

    /** One partition's entries in insertion order, the oldest dropped once past the horizon. */
    static final class Entries {
        private final LinkedHashMap<Long, long[]> byKey = new LinkedHashMap<>();
        private final long horizonMillis;
        private final Clock clock;

        Entries(Duration horizon, Clock clock) {
            this.horizonMillis = horizon.toMillis();
            this.clock = clock;
        }

        synchronized LedgerEntry.State get(long key) {
            long[] entry = byKey.get(key);
            return entry == null ? null : LedgerEntry.State.values()[(int) entry[1]];
        }

        synchronized void put(long key, LedgerEntry.State state, long atMillis) {
            long[] known = byKey.get(key);
            if (known != null && LedgerEntry.State.values()[(int) known[1]].done() && !state.done()) {
                // A generation once finished is never sent again; a note written before its outcome may arrive after it.
                return;
            }
            byKey.remove(key);
            byKey.put(key, new long[] {atMillis, state.ordinal()});
            long oldest = clock.millis() - horizonMillis;
            var eldest = byKey.values().iterator();
            while (eldest.hasNext() && eldest.next()[0] < oldest) {
                eldest.remove();
            }
        }

        synchronized int size() {
            return byKey.size();
        }
    }
}
