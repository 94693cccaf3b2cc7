package io.wabatch.common.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;

/**
 * Brings completions back to the poll thread: the dispatcher and the producer's callbacks add
 * {@link LoopEvent}s from any thread; the poll thread applies them, producing each handled record's
 * output (in the order the records were handled) and counting a record done once its output is
 * acknowledged. Output of revoked partitions is dropped: their new owner handles the records again.
 */
final class Completions {

    private final LinkedBlockingQueue<LoopEvent> events = new LinkedBlockingQueue<>();
    private final PartitionStates states;
    private final OutputSender sender;
    private final BiConsumer<String, Throwable> failures;

    /** @param failures told (on the poll thread) when a record cannot be completed */
    Completions(Producer<byte[], byte[]> producer, PartitionStates states, BiConsumer<String, Throwable> failures) {
        this.states = states;
        this.sender = new OutputSender(producer, events::add);
        this.failures = failures;
    }

    /** Any thread. */
    void add(LoopEvent event) {
        events.add(event);
    }

    boolean isEmpty() {
        return events.isEmpty();
    }

    /** Applies every event that arrived so far. Poll thread. */
    void processAll() {
        List<LoopEvent> batch = new ArrayList<>();
        events.drainTo(batch);
        batch.forEach(this::apply);
    }

    /**
     * Applies events as they arrive until the partitions have no record in flight. Poll thread.
     *
     * @return false when the deadline ({@link System#nanoTime()}) passed or {@code stop} became true first
     */
    boolean awaitDone(Collection<TopicPartition> partitions, long deadline, BooleanSupplier stop) {
        processAll();
        while (states.inFlight(partitions) > 0) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0 || stop.getAsBoolean()) {
                return false;
            }
            try {
                LoopEvent event = events.poll(remaining, TimeUnit.NANOSECONDS);
                if (event != null) {
                    apply(event);
                    processAll();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private void apply(LoopEvent event) {
        if (event instanceof LoopEvent.Handled handled) {
            if (handled.state().revoked() || handled.outputs().isEmpty()) {
                states.acked(handled.state(), handled.offset());
            } else {
                sender.send(handled.state(), handled.offset(), handled.outputs());
            }
        } else if (event instanceof LoopEvent.Acked acked) {
            states.acked(acked.state(), acked.offset());
        } else if (event instanceof LoopEvent.Failed failed) {
            failures.accept("record " + failed.state().partition() + "@" + failed.offset() + ": " + failed.what(),
                    failed.error());
        }
    }
}
