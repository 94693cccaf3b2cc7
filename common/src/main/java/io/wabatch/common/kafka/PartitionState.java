package io.wabatch.common.kafka;

import org.apache.kafka.common.TopicPartition;

/**
 * One assignment of a partition to this loop: its offsets in flight, and whether it was revoked.
 * A partition assigned again gets a new state, so late events of an old assignment are told apart
 * by identity. Only {@link #revoked()} may be read off the poll thread.
 */
final class PartitionState {

    private final TopicPartition partition;
    private final OffsetTracker offsets = new OffsetTracker();
    private volatile boolean revoked;

    PartitionState(TopicPartition partition) {
        this.partition = partition;
    }

    TopicPartition partition() {
        return partition;
    }

    OffsetTracker offsets() {
        return offsets;
    }

    /** True once the partition went to another member (or this loop stopped): drop its output. */
    boolean revoked() {
        return revoked;
    }

    void revoke() {
        revoked = true;
    }

    @Override
    public String toString() {
        return partition + (revoked ? " (revoked)" : "");
    }
}
