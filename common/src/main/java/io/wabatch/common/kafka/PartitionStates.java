package io.wabatch.common.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The loop's assigned partitions, the suspended partitions and the counts of records in flight.
 * Records of revoked partitions still count until the handler is done with them (their output is
 * dropped, but they hold window slots); their events carry their old {@link PartitionState}. Records
 * in flight of a suspended partition, revoked or not, are waiting, not working: they leave the window
 * until the partition is resumed. Suspensions are kept by partition, assigned or not. Owned by the poll
 * thread; only {@link #inFlight()} and {@link #inWindow()} are read elsewhere.
 */
final class PartitionStates {

    private final Map<TopicPartition, PartitionState> assigned = new HashMap<>();
    /** Records in flight by partition, every assignment's (revoked ones included); no zero entries. */
    private final Map<TopicPartition, Integer> inFlightBy = new HashMap<>();
    private final Set<TopicPartition> suspended = new HashSet<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger inWindow = new AtomicInteger();

    /**
     * Fresh state for newly assigned partitions.
     *
     * @return the partitions given fresh state: those not assigned already
     */
    List<TopicPartition> assign(Collection<TopicPartition> partitions) {
        List<TopicPartition> fresh = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            if (!assigned.containsKey(partition)) {
                assigned.put(partition, new PartitionState(partition));
                fresh.add(partition);
            }
        }
        return fresh;
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

    /** Suspends a partition: its records in flight leave the window. False if it already was suspended. */
    boolean suspend(TopicPartition partition) {
        if (!suspended.add(partition)) {
            return false;
        }
        inWindow.addAndGet(-inFlightBy.getOrDefault(partition, 0));
        return true;
    }

    /** Resumes a partition: its records in flight count again. False if it was not suspended. */
    boolean resume(TopicPartition partition) {
        if (!suspended.remove(partition)) {
            return false;
        }
        inWindow.addAndGet(inFlightBy.getOrDefault(partition, 0));
        return true;
    }

    /** The suspended partitions, assigned or not. */
    List<TopicPartition> suspended() {
        return List.copyOf(suspended);
    }

    /** Whether a partition is suspended, assigned or not. */
    boolean suspended(TopicPartition partition) {
        return suspended.contains(partition);
    }

    /**
     * Notes a poll's records of an assigned partition, in offset order.
     *
     * @return those to start: not those done before the partition was assigned here (they count as done)
     */
    List<ConsumerRecord<byte[], byte[]>> polled(PartitionState state, List<ConsumerRecord<byte[], byte[]>> records) {
        List<ConsumerRecord<byte[], byte[]>> toStart = new ArrayList<>(records.size());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (state.offsets().poll(record.offset())) {
                toStart.add(record);
            }
        }
        return toStart;
    }

    void started(PartitionState state, long offset) {
        state.offsets().start(offset);
        inFlightBy.merge(state.partition(), 1, Integer::sum);
        inFlight.incrementAndGet();
        if (!suspended.contains(state.partition())) {
            inWindow.incrementAndGet();
        }
    }

    void acked(PartitionState state, long offset) {
        state.offsets().ack(offset);
        released(state.partition());
    }

    /**
     * Acknowledges a record if its partition's done set still fits the commit metadata with it (see
     * {@link OffsetTracker#ackWithin}); else changes nothing.
     */
    boolean ackedWithin(PartitionState state, long offset, int maxLength) {
        if (!state.offsets().ackWithin(offset, maxLength)) {
            return false;
        }
        released(state.partition());
        return true;
    }

    private void released(TopicPartition partition) {
        inFlightBy.computeIfPresent(partition, (p, count) -> count == 1 ? null : count - 1);
        inFlight.decrementAndGet();
        if (!suspended.contains(partition)) {
            inWindow.decrementAndGet();
        }
    }

    /** Records started and not yet acknowledged, revoked and suspended partitions included. Thread-safe. */
    int inFlight() {
        return inFlight.get();
    }

    /** Records in flight that hold window slots: those of partitions not suspended. Thread-safe. */
    int inWindow() {
        return inWindow.get();
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

    /**
     * What to commit for the given assigned partitions: those whose offset or done set changed since their
     * last commit.
     *
     * @param truncate whether a done set too long for the metadata may lose its highest offsets (see
     *                 {@link OffsetTracker#commitDue})
     */
    Map<TopicPartition, OffsetAndMetadata> commitsDue(Collection<TopicPartition> partitions, boolean truncate) {
        Map<TopicPartition, OffsetAndMetadata> due = new HashMap<>();
        for (TopicPartition partition : partitions) {
            PartitionState state = assigned.get(partition);
            OffsetAndMetadata commit = state == null ? null : state.offsets().commitDue(truncate);
            if (commit != null) {
                due.put(partition, commit);
            }
        }
        return due;
    }

    /** Notes committed offsets. */
    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> {
            PartitionState state = assigned.get(partition);
            if (state != null) {
                state.offsets().committed(offset);
            }
        });
    }
}
