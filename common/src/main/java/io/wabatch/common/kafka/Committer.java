package io.wabatch.common.kafka;

import java.util.Collection;
import org.apache.kafka.common.TopicPartition;

/**
 * Commits what the loop has done: each partition's offset (its lowest record not done) with its done set,
 * and in the transactional mode the output produced since the last commit with them. Poll thread only.
 */
interface Committer {

    /** Once, before the first poll. */
    default void start() {
    }

    /** Before the loop hands a record's output to the producer. */
    default void beforeSend() {
    }

    /**
     * Commits the offsets and done sets that changed since their last commit: of the given assigned partitions,
     * or of all of them when the output of all is committed with them (transactions).
     *
     * @throws org.apache.kafka.common.KafkaException when the commit failed and the loop must stop
     */
    void commit(Collection<TopicPartition> partitions);

    /** The loop failed: nothing more is committed, and what was not committed must never become visible. */
    default void abort() {
    }
}
