package io.wabatch.common.kafka;

import java.time.Duration;
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
 * acknowledged, or in the transactional mode once its output is handed to the producer (if its done set
 * fits, see {@link OutputBacklog}). Output of revoked partitions is dropped: their new owner handles the
 * records again.
 */
final class Completions {

    private static final Duration TICK = Duration.ofMillis(100);

    private final LinkedBlockingQueue<LoopEvent> events = new LinkedBlockingQueue<>();
    private final PartitionStates states;
    private final OutputSender sender;
    private final Committer committer;
    /** Null unless transactional. */
    private final OutputBacklog backlog;
    private final BiConsumer<String, Throwable> failures;
    private final BooleanSupplier stopped;

    /**
     * @param committer     told before output is sent
     * @param transactional whether a record is done when its output is handed to the producer
     * @param failures      told (on the poll thread) when a record cannot be completed
     * @param stopped       whether the loop failed: in the transactional mode, no more output then joins the
     *                      (aborted) transaction
     */
    Completions(Producer<byte[], byte[]> producer, PartitionStates states, Committer committer, boolean transactional,
                BiConsumer<String, Throwable> failures, BooleanSupplier stopped) {
        this.states = states;
        this.sender = new OutputSender(producer, events::add, !transactional);
        this.committer = committer;
        this.backlog = transactional ? new OutputBacklog() : null;
        this.failures = failures;
        this.stopped = stopped;
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
        if (backlog != null && !stopped.getAsBoolean()) {
            backlog.drain(this::produceWithin, handled -> states.acked(handled.state(), handled.offset()));
        }
    }

    /**
     * Applies events as they arrive until the partitions have no record in flight, running {@code meanwhile}
     * at least every 100 ms (to commit what is done: a transaction must not stay open for the whole wait).
     * Poll thread.
     *
     * @return false when the deadline ({@link System#nanoTime()}) passed or {@code stop} became true first
     */
    boolean awaitDone(Collection<TopicPartition> partitions, long deadline, BooleanSupplier stop, Runnable meanwhile) {
        processAll();
        while (states.inFlight(partitions) > 0) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0 || stop.getAsBoolean()) {
                return false;
            }
            try {
                LoopEvent event = events.poll(Math.min(remaining, TICK.toNanos()), TimeUnit.NANOSECONDS);
                if (event != null) {
                    apply(event);
                    processAll();
                }
                meanwhile.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private void apply(LoopEvent event) {
        if (event instanceof LoopEvent.Handled handled) {
            if (handled.state().revoked()) {
                states.acked(handled.state(), handled.offset());
            } else if (backlog != null) {
                backlog.add(handled);
            } else if (handled.outputs().isEmpty()) {
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

    /** Transactional: the record is done, and its output handed to the producer, if its done set fits. */
    private boolean produceWithin(LoopEvent.Handled handled) {
        if (!states.ackedWithin(handled.state(), handled.offset(), DoneOffsets.MAX_LENGTH)) {
            return false;
        }
        if (!handled.outputs().isEmpty()) {
            committer.beforeSend();
            sender.send(handled.state(), handled.offset(), handled.outputs());
        }
        return true;
    }
}
