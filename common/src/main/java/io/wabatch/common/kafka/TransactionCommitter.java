package io.wabatch.common.kafka;

import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactional mode's commits: the loop's output and its offsets with their done sets become visible
 * together, or not at all. {@link #start} initialises the producer's transactions, which fences a predecessor
 * with the same {@code transactional.id} and aborts its open transaction. A transaction begins with the first
 * output or offset after a commit; {@link #commit} flushes the output, adds the offsets and done sets of every
 * assigned partition that changed (with the consumer's group metadata, so a member that left the group cannot
 * commit) and commits. So a record's output is in a committed transaction exactly when the record is below
 * its partition's committed offset or in its committed done set, which therefore is never truncated.
 *
 * <p>Every failure (fenced, {@code CommitFailedException} after a rebalance, a send that failed, a timeout) is
 * thrown to the loop, which stops: {@link #abort} aborts the open transaction if the producer still can, and
 * otherwise the broker aborts it when a successor with the same id starts or after
 * {@code transaction.timeout.ms}. Poll thread only, like every use of the producer.
 */
final class TransactionCommitter implements Committer {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionCommitter.class);

    private final String name;
    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final PartitionStates states;
    private boolean open;
    private boolean aborted;

    TransactionCommitter(String name, Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer,
                         PartitionStates states) {
        this.name = name;
        this.consumer = consumer;
        this.producer = producer;
        this.states = states;
    }

    @Override
    public void start() {
        producer.initTransactions();
    }

    @Override
    public void beforeSend() {
        begin();
    }

    /** Commits the output so far with the offsets of all assigned partitions; {@code partitions} is not used. */
    @Override
    public void commit(Collection<TopicPartition> partitions) {
        if (aborted) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = states.commitsDue(states.partitions(), false);
        if (offsets.isEmpty() && !open) {
            return;
        }
        begin();
        // A send that failed fails the commit anyway; flushing first reports it through its callback.
        producer.flush();
        if (!offsets.isEmpty()) {
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        }
        producer.commitTransaction();
        open = false;
        states.committed(offsets);
        LOG.trace("{}: committed a transaction with {}", name, offsets);
    }

    @Override
    public void abort() {
        aborted = true;
        if (!open) {
            return;
        }
        open = false;
        try {
            producer.abortTransaction();
            LOG.info("{}: open transaction aborted", name);
        } catch (KafkaException e) {
            LOG.warn("{}: could not abort the open transaction ({}); the broker aborts it when a successor with the "
                    + "same transactional.id starts, or after transaction.timeout.ms", name, e.toString());
        }
    }

    private void begin() {
        if (!open) {
            producer.beginTransaction();
            open = true;
        }
    }
}
