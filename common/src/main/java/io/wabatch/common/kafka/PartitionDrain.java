package io.wabatch.common.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets partitions go, on revocation and shutdown: their records waiting are dropped (they are fetched
 * again from the committed offset by whoever owns the partition next), their records in flight are
 * finished and committed within {@link LoopOptions#drainTimeout} (later ones are redelivered), and their
 * state is forgotten. While it waits, the regular commits go on, so a transaction does not stay open for
 * the whole drain. Partitions lost without a chance to commit are only forgotten. Poll thread only: it
 * runs inside the consumer's rebalance callbacks and after the last poll.
 */
final class PartitionDrain {

    // The loop's own logger: operators know its messages under that name.
    private static final Logger LOG = LoggerFactory.getLogger(ConsumeProduceLoop.class);

    private final String name;
    private final PartitionStates states;
    private final PendingRecords pending;
    private final Completions completions;
    private final CommitSchedule commits;
    private final Duration drainTimeout;
    private final LoopLifecycle lifecycle;
    private final BooleanSupplier failed;
    private final Runnable commitIfDue;

    PartitionDrain(String name, PartitionStates states, PendingRecords pending, Completions completions,
                   CommitSchedule commits, Duration drainTimeout, LoopLifecycle lifecycle) {
        this.name = name;
        this.states = states;
        this.pending = pending;
        this.completions = completions;
        this.commits = commits;
        this.drainTimeout = drainTimeout;
        this.lifecycle = lifecycle;
        this.failed = lifecycle::failed;
        this.commitIfDue = commits::commitIfDue;
    }

    /** Drains and commits the partitions, then forgets them. */
    void release(Collection<TopicPartition> partitions) {
        pending.drop(partitions);
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        if (!completions.awaitDone(partitions, deadline, failed, commitIfDue) && !lifecycle.failed()) {
            LOG.warn("{}: {} record(s) still in flight after the drain timeout {}; they will be redelivered",
                    name, states.inFlight(partitions), drainTimeout);
        }
        commits.commit(partitions);
        states.revoke(partitions);
    }

    /** Releases every assigned partition, at shutdown; if draining breaks, forgets them all the same. */
    void releaseAll() {
        try {
            release(states.partitions());
        } catch (RuntimeException e) {
            LOG.warn("{}: draining failed: {}", name, e.toString());
            forget(states.partitions());
        }
    }

    /** Forgets the partitions without draining or committing: they were lost, or draining failed. */
    void forget(Collection<TopicPartition> partitions) {
        pending.drop(partitions);
        states.revoke(partitions);
    }
}
