package io.wabatch.common.kafka;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Records polled but not started, per partition in offset order. Records start from here fairly: each
 * free slot goes to the partition with the fewest records in flight, so a partition with a backlog (the
 * consumer returns one partition's fetched backlog before the next partition's records) or with slow
 * records cannot hold the window while another partition has work. A suspended partition's records
 * stay queued, in order, until it is resumed. Owned by the poll thread; only {@link #size()} may be read
 * elsewhere.
 */
final class PendingRecords {

    private record Load(TopicPartition partition, int inFlight) {
    }

    private final Map<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> queues = new LinkedHashMap<>();
    private volatile int size;

    /** Accepts a poll's records of one partition. */
    void add(TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> records) {
        queues.computeIfAbsent(partition, p -> new ArrayDeque<>()).addAll(records);
        size += records.size();
    }

    /** Records waiting, all partitions. Thread-safe. */
    int size() {
        return size;
    }

    /** Records waiting in one partition. */
    int size(TopicPartition partition) {
        ArrayDeque<ConsumerRecord<byte[], byte[]>> queue = queues.get(partition);
        return queue == null ? 0 : queue.size();
    }

    /**
     * Takes up to {@code slots} records of partitions not suspended, each from the partition with the
     * fewest records in flight (counting those taken so far).
     *
     * @return the records taken, by partition, each partition's in offset order
     */
    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> take(int slots, ToIntFunction<TopicPartition> inFlight,
                                                                   Predicate<TopicPartition> suspended) {
        PriorityQueue<Load> loads = new PriorityQueue<>(Comparator.comparingInt(Load::inFlight));
        queues.forEach((partition, queue) -> {
            if (!queue.isEmpty() && !suspended.test(partition)) {
                loads.add(new Load(partition, inFlight.applyAsInt(partition)));
            }
        });
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> taken = new HashMap<>();
        for (int i = 0; i < slots && !loads.isEmpty(); i++) {
            Load least = loads.poll();
            ArrayDeque<ConsumerRecord<byte[], byte[]>> queue = queues.get(least.partition());
            taken.computeIfAbsent(least.partition(), p -> new ArrayList<>()).add(queue.poll());
            if (!queue.isEmpty()) {
                loads.add(new Load(least.partition(), least.inFlight() + 1));
            }
        }
        size -= taken.values().stream().mapToInt(List::size).sum();
        return taken;
    }

    /** Forgets the partitions' records: they are fetched again from the committed offset. */
    void drop(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            ArrayDeque<ConsumerRecord<byte[], byte[]>> queue = queues.remove(partition);
            if (queue != null) {
                size -= queue.size();
            }
        }
    }
}
