package io.wabatch.common.kafka;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Turns one consumed record into the records to produce for it (ready jobs, results, DLQ
 * entries). Every method is called on the loop's Vert.x context and must not block. Many records of
 * a partition are handled at once; records that share an {@linkplain #orderingKeys ordering key}
 * are handled one after another in offset order. The returned future fails only for bugs: every
 * expected failure (bad input, API errors) is itself a record to produce.
 */
public interface RecordHandler {

    /**
     * Processes one record.
     *
     * @return the records to produce for it, in order; they are produced after the output of every
     *         earlier record of the partition that shares an ordering key
     */
    Future<List<ProducerRecord<byte[], byte[]>>> handle(ConsumerRecord<byte[], byte[]> record);

    /**
     * The records to produce when {@link #handle} failed unexpectedly, so that nothing is lost:
     * typically a DLQ entry and a {@code failed} result naming the error. If this throws, the loop
     * stops with that error and the record is redelivered after a restart.
     */
    List<ProducerRecord<byte[], byte[]>> onUnexpectedFailure(ConsumerRecord<byte[], byte[]> record, Throwable error);

    /**
     * The keys whose order this record must keep, e.g. its recipients. A record is handled only after
     * every earlier record of the same partition that shares any of its keys has been handled, and its
     * output is produced after theirs; records without a common key run concurrently. Called once per
     * record, in offset order, before {@link #handle}; it should be cheap. Throwing makes the record
     * fail ({@link #onUnexpectedFailure}).
     *
     * @return the keys; empty (the default) for no ordering at all
     */
    default Collection<String> orderingKeys(ConsumerRecord<byte[], byte[]> record) {
        return List.of();
    }

    /**
     * Partitions were assigned to this loop; called on the poll thread before any of their records is
     * handled. Must not block: start what is needed (e.g. reading state) and make {@link #handle}
     * wait for it.
     */
    default void onAssigned(Collection<org.apache.kafka.common.TopicPartition> partitions) {
    }

    /** Partitions were revoked or lost (after their records in flight drained); called on the poll thread. */
    default void onRevoked(Collection<org.apache.kafka.common.TopicPartition> partitions) {
    }
}
