package io.wabatch.sender.ledger;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The batched writer of the ledger's attempts and notes. Entries are gathered while the caller's
 * event-loop task runs and then written together, one record per partition ({@link LedgerEntry.Batch}),
 * so the broker appends and acknowledges one record per turn of the loop instead of one per message.
 *
 * <p>Threading: {@link #write} and {@link #note} may be called from any thread (normally the sender's
 * event loop). Records are handed to the producer on a thread of the writer's own, never on the
 * caller's event loop: {@code send()} blocks while the topic's metadata is unknown, e.g. for as long
 * as the broker is away. Acknowledgements come back on each caller's Vert.x context.
 *
 * <p>Errors: when a record cannot be handed to the producer, is not acknowledged, or the writer is
 * closed, the futures of its entries fail; a note has none, and is lost.
 */
final class LedgerWriter {

    /**
     * Entries per record at most: about 150 bytes each, so a record stays far below the topic's
     * {@code max.message.bytes} however many records one poll starts.
     */
    static final int MAX_BATCH = 500;

    private final String topic;
    private final Producer<byte[], byte[]> producer;
    private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "ledger-writer");
        thread.setDaemon(true);
        return thread;
    });

    LedgerWriter(String topic, Producer<byte[], byte[]> producer) {
        this.topic = topic;
        this.producer = producer;
    }

    /** Queues the entry; completes, on the caller's Vert.x context, once the broker acknowledged it. */
    Future<Void> write(int partition, LedgerEntry entry) {
        Promise<Void> written = Promise.promise();
        enqueue(new Pending(partition, entry, written, Vertx.currentContext()));
        return written.future();
    }

    /** Queues the entry without waiting for its acknowledgement. */
    void note(int partition, LedgerEntry entry) {
        enqueue(new Pending(partition, entry, null, null));
    }

    /** Lets the records already handed over finish; entries queued later fail. */
    void close() {
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
            writer.execute(() -> produce(batch));
        } catch (RejectedExecutionException e) {
            done(batch, e);
        }
    }

    /** On the writer thread: {@code send()} may block while the broker is away. */
    private void produce(List<Pending> batch) {
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
}
