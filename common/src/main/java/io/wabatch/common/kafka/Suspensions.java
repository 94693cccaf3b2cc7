package io.wabatch.common.kafka;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings suspend and resume requests to the poll thread: any thread records which partitions should be
 * suspended; the poll thread applies the latest wish to {@link PartitionStates}. Only the state matters,
 * not the sequence: a suspend and a resume between two applications cancel out. Requests are kept by
 * partition, whether it is assigned or not.
 */
final class Suspensions {

    private static final Logger LOG = LoggerFactory.getLogger(Suspensions.class);

    private final String name;
    private final Set<TopicPartition> requested = ConcurrentHashMap.newKeySet();

    Suspensions(String name) {
        this.name = name;
    }

    /** Any thread. */
    void suspend(TopicPartition partition) {
        requested.add(partition);
    }

    /** Any thread. */
    void resume(TopicPartition partition) {
        requested.remove(partition);
    }

    /** Makes {@code states} suspend exactly the requested partitions. Poll thread. */
    void applyTo(PartitionStates states) {
        Set<TopicPartition> wanted = Set.copyOf(requested);
        for (TopicPartition partition : states.suspended()) {
            if (!wanted.contains(partition) && states.resume(partition)) {
                LOG.info("{}: {} resumed", name, partition);
            }
        }
        for (TopicPartition partition : wanted) {
            if (states.suspend(partition)) {
                LOG.info("{}: {} suspended: not fetched, not started, its records in flight leave the window",
                        name, partition);
            }
        }
    }
}
