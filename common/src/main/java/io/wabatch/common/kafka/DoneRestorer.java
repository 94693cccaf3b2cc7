package io.wabatch.common.kafka;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the committed offsets of newly assigned partitions with their {@linkplain DoneOffsets done sets} into
 * their trackers, so that records done before (by this member or another) are skipped. A consumer that reads
 * committed waits here for a transaction that is about to commit offsets of the partition. Metadata of another
 * tool counts as nothing done (logged once). Poll thread, inside {@code onPartitionsAssigned}.
 */
final class DoneRestorer {

    private static final Logger LOG = LoggerFactory.getLogger(DoneRestorer.class);

    private final String name;
    private final Consumer<byte[], byte[]> consumer;
    private final PartitionStates states;
    private boolean warned;

    DoneRestorer(String name, Consumer<byte[], byte[]> consumer, PartitionStates states) {
        this.name = name;
        this.consumer = consumer;
        this.states = states;
    }

    /** Restores the trackers of the given assigned partitions, none of whose records was polled yet. */
    void restore(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        committed(partitions).forEach((partition, commit) -> {
            PartitionState state = states.get(partition);
            if (commit == null || state == null) {
                return;
            }
            try {
                state.offsets().restore(commit.offset(), commit.metadata(),
                        DoneOffsets.decode(commit.offset(), commit.metadata()));
            } catch (IllegalArgumentException e) {
                if (!warned) {
                    warned = true;
                    LOG.warn("{}: the metadata committed for {} is not wabatch's done offsets ({}); every record from "
                            + "the committed offset on is redelivered (logged once)", name, partition, e.getMessage());
                }
            }
        });
    }

    private Map<TopicPartition, OffsetAndMetadata> committed(Collection<TopicPartition> partitions) {
        try {
            return consumer.committed(new HashSet<>(partitions));
        } catch (WakeupException e) {
            // close() woke the consumer: the wake-up is spent, read once more.
            return consumer.committed(new HashSet<>(partitions));
        }
    }
}
