package io.wabatch.common.kafka;

import io.vertx.core.Future;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Turns one consumed record into the records to produce for it (ready jobs, results, DLQ
 * entries). Called on the loop's Vert.x context; must not block. The returned future fails only
 * for bugs: every expected failure (bad input, API errors) is itself a record to produce.
 */
public interface RecordHandler {

    /** Processes one record. */
    Future<List<ProducerRecord<byte[], byte[]>>> handle(ConsumerRecord<byte[], byte[]> record);

    /**
     * The records to produce when {@link #handle} failed unexpectedly, so that nothing is lost:
     * typically a DLQ entry and a {@code failed} result naming the error.
     */
    List<ProducerRecord<byte[], byte[]>> onUnexpectedFailure(ConsumerRecord<byte[], byte[]> record, Throwable error);
}
