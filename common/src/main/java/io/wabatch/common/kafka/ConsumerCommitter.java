package io.wabatch.common.kafka;

import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the offsets and done sets that changed, synchronously, on the poll thread. A done set too long
 * for the commit metadata loses its highest offsets: those records are redelivered. A commit refused
 * because of a rebalance is logged and skipped: the records above the last commit are redelivered, at
 * least once.
 */
final class ConsumerCommitter implements Committer {

    private static final Logger LOG = LoggerFactory.getLogger(Committer.class);

    private final String name;
    private final Consumer<byte[], byte[]> consumer;
    private final PartitionStates states;

    ConsumerCommitter(String name, Consumer<byte[], byte[]> consumer, PartitionStates states) {
        this.name = name;
        this.consumer = consumer;
        this.states = states;
    }

    /** Commits the assigned {@code partitions} whose offset or done set changed since their last commit. */
    @Override
    public void commit(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = states.commitsDue(partitions, true);
        if (offsets.isEmpty()) {
            return;
        }
        try {
            commitSync(offsets);
            states.committed(offsets);
            LOG.trace("{}: committed {}", name, offsets);
        } catch (CommitFailedException | RebalanceInProgressException e) {
            LOG.warn("{}: commit refused during a rebalance ({}); those records may be redelivered", name,
                    e.getClass().getSimpleName());
        }
    }

    private void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        try {
            consumer.commitSync(offsets);
        } catch (WakeupException e) {
            // close() woke the consumer while we were committing: the wake-up is spent, commit once more.
            consumer.commitSync(offsets);
        }
    }
}
