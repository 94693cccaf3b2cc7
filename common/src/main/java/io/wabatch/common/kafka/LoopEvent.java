package io.wabatch.common.kafka;

import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/** What comes back to the poll thread from the Vert.x context and the producer's callbacks. */
sealed interface LoopEvent {

    PartitionState state();

    long offset();

    /** The handler is done with a record (or skipped it because its partition was revoked). */
    record Handled(PartitionState state, long offset, List<ProducerRecord<byte[], byte[]>> outputs) implements LoopEvent {
    }

    /** Every output of a record is acknowledged by the brokers. */
    record Acked(PartitionState state, long offset) implements LoopEvent {
    }

    /** A record cannot be completed: its output could not be produced, or the handler broke its contract. */
    record Failed(PartitionState state, long offset, String what, Throwable error) implements LoopEvent {
    }
}
