package io.wabatch.common.kafka;

import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The back pressure of the loop. At most {@code window} records are started and not yet done; the
 * records polled beyond that wait in {@link PendingRecords}. A partition is paused while it has
 * {@code window} or more records waiting and resumed when they drop to half, so one resume serves half
 * a window. Pausing per partition, not all at once, lets the consumer hand out the other partitions'
 * fetched records while one partition has a backlog. The consumer keeps being polled while partitions
 * are paused, so the group keeps this member. Owned by the poll thread.
 */
final class InFlightWindow {

    private final int size;
    private final int resumeAt;

    InFlightWindow(int size) {
        this.size = size;
        this.resumeAt = size / 2;
    }

    /** How many more records may start. */
    int room(int inFlight) {
        return Math.max(0, size - inFlight);
    }

    /** Pauses partitions with a full queue of waiting records, resumes those whose queue drained to half. */
    void update(Consumer<?, ?> consumer, ToIntFunction<TopicPartition> waiting) {
        Set<TopicPartition> paused = consumer.paused();
        List<TopicPartition> toPause = consumer.assignment().stream()
                .filter(p -> !paused.contains(p) && waiting.applyAsInt(p) >= size).toList();
        List<TopicPartition> toResume = paused.stream().filter(p -> waiting.applyAsInt(p) <= resumeAt).toList();
        if (!toPause.isEmpty()) {
            consumer.pause(toPause);
        }
        if (!toResume.isEmpty()) {
            consumer.resume(toResume);
        }
    }
}
