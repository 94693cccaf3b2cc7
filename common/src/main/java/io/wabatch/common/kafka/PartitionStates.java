package io.wabatch.common.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The loop's assigned partitions and the count of records in flight. Records of revoked partitions
 * still count until the handler is done with them (their output is dropped, but they hold window
 * slots); their events carry their old {@link PartitionState}. Owned by the poll thread; only
 * {@link #inFlight()} is read elsewhere.
 */
final class PartitionStates {

    private final Map<TopicPartition, PartitionState> assigned = new HashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    /** Fresh state for newly assigned partitions. */
    void assign(Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> assigned.computeIfAbsent(partition, PartitionState::new));
    }

    /** The state of an assigned partition, or null. */
    PartitionState get(TopicPartition partition) {
        return assigned.get(partition);
    }

    /** The assigned partitions. */
    List<TopicPartition> partitions() {
        return new ArrayList<>(assigned.keySet());
    }

    /** Forgets partitions: late events for their records only free their window slots. */
    void revoke(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            PartitionState state = assigned.remove(partition);
            if (state != null) {
                state.revoke();
            }
        }
    }

    void started(PartitionState state, long offset) {
        state.offsets().start(offset);
        inFlight.incrementAndGet();
    }

    void acked(PartitionState state, long offset) {
        state.offsets().ack(offset);
        inFlight.decrementAndGet();
    }

    /** Records started and not yet acknowledged, revoked partitions included. Thread-safe. */
    int inFlight() {
        return inFlight.get();
    }

    /** Records in flight of an assigned partition. */
    int inFlight(TopicPartition partition) {
        PartitionState state = assigned.get(partition);
        return state == null ? 0 : state.offsets().inFlight();
    }

    /** Records in flight of the given assigned partitions. */
    int inFlight(Collection<TopicPartition> partitions) {
        return partitions.stream().mapToInt(this::inFlight).sum();
    }

    /** The offsets to commit for the given assigned partitions: those that moved since their last commit. */
    Map<TopicPartition, OffsetAndMetadata> commitsDue(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> due = new HashMap<>();
        for (TopicPartition partition : partitions) {
            PartitionState state = assigned.get(partition);
            long offset = state == null ? -1 : state.offsets().commitDue();
            if (offset >= 0) {
                due.put(partition, new OffsetAndMetadata(offset));
            }
        }
        return due;
    }

    /** Notes committed offsets. */
    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> {
            PartitionState state = assigned.get(partition);
            if (state != null) {
                state.offsets().committed(offset.offset());
            }
        });
    }
}
