package io.wabatch.common.kafka;

import java.time.Duration;
import java.util.Collection;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * When the loop commits: every {@link LoopOptions#commitInterval} while running (also while a drain
 * waits), and at once for partitions being released. A commit that fails stops the loop: what was not
 * committed is redelivered after a restart. Poll thread only, like the committer it drives.
 */
final class CommitSchedule {

    private final Committer committer;
    private final PartitionStates states;
    private final long intervalNanos;
    private final LoopLifecycle lifecycle;
    private long nextCommit;

    CommitSchedule(Committer committer, PartitionStates states, Duration interval, LoopLifecycle lifecycle) {
        this.committer = committer;
        this.states = states;
        this.intervalNanos = interval.toNanos();
        this.lifecycle = lifecycle;
    }

    /** Starts the committer (transactional: fences a predecessor) and the first interval. Before the first poll. */
    void start() {
        // Transactional: fences a predecessor with the same transactional.id, aborting its open transaction.
        committer.start();
        nextCommit = System.nanoTime();
    }

    /** Commits every assigned partition if the interval has passed since the last time. */
    void commitIfDue() {
        long now = System.nanoTime();
        if (now - nextCommit >= 0) {
            commit(states.partitions());
            nextCommit = now + intervalNanos;
        }
    }

    /** Commits the partitions now; a failure stops the loop. */
    void commit(Collection<TopicPartition> partitions) {
        try {
            committer.commit(partitions);
        } catch (KafkaException e) {
            lifecycle.fail("committing failed", e);
        }
    }
}
