package io.wabatch.common.kafka;

import io.vertx.core.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The records of one poll, processed on a Vert.x context: every partition concurrently, the
 * records of a partition one after another in offset order. Collects each record's output in
 * that order so the loop can produce it and commit.
 */
final class PartitionBatch {

    /** Starts a batch for polled records. */
    interface Factory {
        PartitionBatch start(ConsumerRecords<byte[], byte[]> records);
    }

    private final Map<TopicPartition, Lane> lanes = new HashMap<>();
    private final CompletableFuture<Void> all;

    PartitionBatch(ConsumerRecords<byte[], byte[]> records, Context context, RecordHandler handler) {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (TopicPartition partition : records.partitions()) {
            Lane lane = new Lane(records.records(partition), context, handler);
            lanes.put(partition, lane);
            futures.add(lane.done);
            context.runOnContext(v -> lane.step(0));
        }
        all = CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
    }

    boolean done() {
        return all.isDone();
    }

    void await(Duration timeout) {
        try {
            all.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the caller checks done() and decides
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every output, partition by partition, in record order. */
    List<ProducerRecord<byte[], byte[]>> output() {
        List<ProducerRecord<byte[], byte[]>> output = new ArrayList<>();
        lanes.values().forEach(lane -> lane.outputs.forEach(output::addAll));
        return output;
    }

    /** The offsets to commit: one past the last record of each partition. */
    Map<TopicPartition, OffsetAndMetadata> nextOffsets() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        lanes.forEach((tp, lane) -> offsets.put(tp, new OffsetAndMetadata(lane.last().offset() + 1)));
        return offsets;
    }

    /** Where to seek to replay this batch. */
    Map<TopicPartition, Long> firstOffsets() {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        lanes.forEach((tp, lane) -> offsets.put(tp, lane.records.get(0).offset()));
        return offsets;
    }

    /** One partition's records, processed in order. */
    private static final class Lane {
        final List<ConsumerRecord<byte[], byte[]>> records;
        final List<List<ProducerRecord<byte[], byte[]>>> outputs = new ArrayList<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final Context context;
        private final RecordHandler handler;

        Lane(List<ConsumerRecord<byte[], byte[]>> records, Context context, RecordHandler handler) {
            this.records = records;
            this.context = context;
            this.handler = handler;
        }

        ConsumerRecord<byte[], byte[]> last() {
            return records.get(records.size() - 1);
        }

        void step(int index) {
            if (index == records.size()) {
                done.complete(null);
                return;
            }
            ConsumerRecord<byte[], byte[]> record = records.get(index);
            io.vertx.core.Future<List<ProducerRecord<byte[], byte[]>>> result;
            try {
                result = handler.handle(record);
            } catch (RuntimeException e) {
                result = io.vertx.core.Future.failedFuture(e);
            }
            result.onComplete(ar -> {
                outputs.add(ar.succeeded() ? ar.result() : handler.onUnexpectedFailure(record, ar.cause()));
                context.runOnContext(v -> step(index + 1));
            });
        }
    }
}
