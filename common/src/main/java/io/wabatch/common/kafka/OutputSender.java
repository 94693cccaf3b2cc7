package io.wabatch.common.kafka;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Produces a record's output and reports {@link LoopEvent.Acked} once every send is acknowledged (unless
 * told not to: in a transaction the record is done once its output is handed over), or
 * {@link LoopEvent.Failed} for the first send that fails after the producer's own retries. Called on the poll
 * thread (never an event loop: {@code send} can block on metadata or a full buffer); the callbacks run on the
 * producer's I/O thread and only enqueue events.
 */
final class OutputSender {

    private final Producer<byte[], byte[]> producer;
    private final Consumer<LoopEvent> events;
    private final boolean reportAcks;

    OutputSender(Producer<byte[], byte[]> producer, Consumer<LoopEvent> events, boolean reportAcks) {
        this.producer = producer;
        this.events = events;
        this.reportAcks = reportAcks;
    }

    /** Sends {@code outputs} (not empty) in order. */
    void send(PartitionState state, long offset, List<ProducerRecord<byte[], byte[]>> outputs) {
        AtomicInteger remaining = new AtomicInteger(outputs.size());
        AtomicBoolean failed = new AtomicBoolean();
        for (ProducerRecord<byte[], byte[]> output : outputs) {
            try {
                producer.send(output, (metadata, error) -> {
                    if (error != null) {
                        fail(state, offset, output, error, failed);
                    } else if (remaining.decrementAndGet() == 0 && reportAcks) {
                        events.accept(new LoopEvent.Acked(state, offset));
                    }
                });
            } catch (RuntimeException e) {
                fail(state, offset, output, e, failed);
                return;
            }
        }
    }

    private void fail(PartitionState state, long offset, ProducerRecord<byte[], byte[]> output, Throwable error,
                      AtomicBoolean failed) {
        if (failed.compareAndSet(false, true)) {
            events.accept(new LoopEvent.Failed(state, offset, "producing its output to " + output.topic()
                    + " failed", error));
        }
    }
}
