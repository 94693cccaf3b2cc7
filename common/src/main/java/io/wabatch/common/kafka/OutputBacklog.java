package io.wabatch.common.kafka;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The transactional mode's handled records whose output waits: a record's output may join the transaction
 * only if its partition's done set, with the record, still fits the commit metadata, since a committed
 * transaction's output must be matched by its committed done set, never truncated. Waiting records stay in
 * flight, holding their window slots, so a partition whose done set is that fragmented soon stops starting
 * records.
 *
 * <p>A partition's waiting records leave in the order they were handled, so that records sharing an ordering
 * key keep their output order, except the partition's lowest record not done: that one always fits (it only
 * shortens the done set) and goes first, since no record handled before it shares a key with it (those
 * would have lower offsets and be done). So the lowest record never waits for the others, and each partition
 * progresses. Poll thread only.
 */
final class OutputBacklog {

    private final Map<PartitionState, ArrayDeque<LoopEvent.Handled>> waiting = new HashMap<>();

    void add(LoopEvent.Handled handled) {
        waiting.computeIfAbsent(handled.state(), state -> new ArrayDeque<>()).add(handled);
    }

    /**
     * Hands every record that may go now to {@code produce}, which produces it and returns true, or returns
     * false when its done set would not fit; records of revoked partitions go to {@code drop}.
     */
    void drain(Predicate<LoopEvent.Handled> produce, Consumer<LoopEvent.Handled> drop) {
        Iterator<Map.Entry<PartitionState, ArrayDeque<LoopEvent.Handled>>> partitions = waiting.entrySet().iterator();
        while (partitions.hasNext()) {
            Map.Entry<PartitionState, ArrayDeque<LoopEvent.Handled>> partition = partitions.next();
            ArrayDeque<LoopEvent.Handled> queue = partition.getValue();
            if (partition.getKey().revoked()) {
                queue.forEach(drop);
                queue.clear();
            }
            while (!queue.isEmpty() && drainOne(partition.getKey(), queue, produce)) {
                // until nothing more fits
            }
            if (queue.isEmpty()) {
                partitions.remove();
            }
        }
    }

    private static boolean drainOne(PartitionState state, ArrayDeque<LoopEvent.Handled> queue,
                                    Predicate<LoopEvent.Handled> produce) {
        long lowest = state.offsets().lowest();
        for (LoopEvent.Handled handled : queue) {
            if (handled.offset() == lowest) {
                if (!produce.test(handled)) {
                    throw new IllegalStateException("the lowest record of " + state + " did not fit");
                }
                queue.remove(handled);
                return true;
            }
        }
        if (produce.test(queue.peekFirst())) {
            queue.pollFirst();
            return true;
        }
        return false;
    }

    /** Records waiting, all partitions. */
    int size() {
        return waiting.values().stream().mapToInt(ArrayDeque::size).sum();
    }
}
