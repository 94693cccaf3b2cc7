package io.wabatch.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TransactionCommitterTest {

    private static final TopicPartition P0 = new TopicPartition("jobs", 0);
    private static final TopicPartition P1 = new TopicPartition("jobs", 1);

    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final PartitionStates states = new PartitionStates();
    private final TransactionCommitter committer = new TransactionCommitter("test", consumer, producer, states);

    @BeforeEach
    void assign() {
        states.assign(List.of(P0, P1));
        committer.start();
    }

    @Test
    void commitsTheOutputWithTheOffsetsAndDoneSetsOfEveryAssignedPartition() {
        assertThat(producer.transactionInitialized()).isTrue();
        start(P0, 0, 1, 2);
        start(P1, 7);
        send(P0, 2);
        send(P1, 7);

        committer.commit(List.of(P0));

        assertThat(producer.transactionCommitted()).isTrue();
        assertThat(producer.flushed()).isTrue();
        assertThat(producer.consumerGroupOffsetsHistory()).hasSize(1);
        assertThat(producer.consumerGroupOffsetsHistory().get(0).get(consumer.groupMetadata().groupId()))
                .as("not only the partitions asked for: the transaction holds the output of all")
                .isEqualTo(Map.of(P0, new OffsetAndMetadata(0, "wabatch-done-v1:2,1"), P1, new OffsetAndMetadata(8, "")));
        assertThat(producer.history()).hasSize(2);
    }

    @Test
    void aTransactionBeginsWithTheFirstOutputOrOffsetAndNothingIsCommittedWhenNothingChanged() {
        committer.commit(List.of());
        assertThat(producer.transactionInFlight()).isFalse();
        assertThat(producer.commitCount()).isZero();

        start(P0, 0);
        states.acked(states.get(P0), 0);
        committer.commit(List.of());
        committer.commit(List.of());

        assertThat(producer.commitCount()).as("a record done without output: its offset alone").isEqualTo(1);
        assertThat(producer.transactionInFlight()).isFalse();
    }

    @Test
    void aFailedCommitIsThrownAndAfterAnAbortNothingIsCommitted() {
        start(P0, 0);
        send(P0, 0);
        producer.commitTransactionException = new ProducerFencedException("fenced");

        assertThatThrownBy(() -> committer.commit(List.of())).isInstanceOf(KafkaException.class);
        committer.abort();
        assertThat(producer.transactionAborted()).isTrue();

        producer.commitTransactionException = null;
        committer.commit(List.of());
        assertThat(producer.commitCount()).isZero();
    }

    private void start(TopicPartition partition, long... offsets) {
        for (long offset : offsets) {
            states.started(states.get(partition), offset);
        }
    }

    /** What the loop does with a handled record's output in a transaction. */
    private void send(TopicPartition partition, long offset) {
        assertThat(states.ackedWithin(states.get(partition), offset, DoneOffsets.MAX_LENGTH)).isTrue();
        committer.beforeSend();
        producer.send(new ProducerRecord<>("out", new byte[] {1}));
    }
}
