package io.wabatch.common.kafka;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The back pressure of the loop. At most {@code window} records of partitions not suspended are started
 * and not yet done; the records polled beyond that wait in {@link PendingRecords}. A partition is paused
 * while it has {@code window} or more records waiting and resumed when they drop to half, so one resume
 * serves half a window. A suspended partition stays paused whatever its queue, and is resumed by the
 * same rule once it is no longer suspended. Pausing per partition, not all at once, lets the consumer
 * hand out the other partitions' fetched records while one partition has a backlog. The consumer keeps
 * being polled while partitions are paused, so the group keeps this member. Owned by the poll thread.
 */
final class InFlightWindow {

    private final int size;
    private final int resumeAt;

    InFlightWindow(int size) {
        this.size = size;
        this.resumeAt = size / 2;
    }

    /** How many more records may start, given the records in flight that hold window slots. */
    int room(int inWindow) {
        return Math.max(0, size - inWindow);
    }

    /**
     * Pauses suspended partitions and those with a full queue of waiting records; resumes those neither
     * suspended nor with more than half a queue waiting.
     */
    void update(Consumer<?, ?> consumer, ToIntFunction<TopicPartition> waiting, Predicate<TopicPartition> suspended) {
        Set<TopicPartition> paused = consumer.paused();
        List<TopicPartition> toPause = consumer.assignment().stream()
                .filter(p -> !paused.contains(p) && (suspended.test(p) || waiting.applyAsInt(p) >= size)).toList();
        List<TopicPartition> toResume = paused.stream()
                .filter(p -> !suspended.test(p) && waiting.applyAsInt(p) <= resumeAt).toList();
        if (!toPause.isEmpty()) {
            consumer.pause(toPause);
        }
        if (!toResume.isEmpty()) {
            consumer.resume(toResume);
        }
    }
}
