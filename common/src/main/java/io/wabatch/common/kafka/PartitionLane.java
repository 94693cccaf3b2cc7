package io.wabatch.common.kafka;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One partition's polled records, processed on a Vert.x context one after another in offset
 * order, each record's output collected in that order. Lanes of different partitions run
 * concurrently and finish independently, so a slow channel never holds back another.
 */
final class PartitionLane {

    final TopicPartition partition;
    private final List<ConsumerRecord<byte[], byte[]>> records;
    private final List<List<ProducerRecord<byte[], byte[]>>> outputs = new ArrayList<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final Context context;
    private final RecordHandler handler;

    PartitionLane(TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> records, Context context,
                  RecordHandler handler) {
        this.partition = partition;
        this.records = records;
        this.context = context;
        this.handler = handler;
        context.runOnContext(v -> step(0));
    }

    boolean done() {
        return done.isDone();
    }

    /** Waits up to {@code timeout}; the caller checks {@link #done()}. */
    void await(Duration timeout) {
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // not done yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every output in record order. */
    List<ProducerRecord<byte[], byte[]>> output() {
        List<ProducerRecord<byte[], byte[]>> all = new ArrayList<>();
        outputs.forEach(all::addAll);
        return all;
    }

    /** The offset to commit once the output is acknowledged: one past the last record. */
    OffsetAndMetadata nextOffset() {
        return new OffsetAndMetadata(records.get(records.size() - 1).offset() + 1);
    }

    /** Where to seek to replay this lane. */
    long firstOffset() {
        return records.get(0).offset();
    }

    private void step(int index) {
        if (index == records.size()) {
            done.complete(null);
            return;
        }
        ConsumerRecord<byte[], byte[]> record = records.get(index);
        Future<List<ProducerRecord<byte[], byte[]>>> result;
        try {
            result = handler.handle(record);
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        result.onComplete(ar -> {
            outputs.add(ar.succeeded() ? ar.result() : handler.onUnexpectedFailure(record, ar.cause()));
            context.runOnContext(v -> step(index + 1));
        });
    }
}
