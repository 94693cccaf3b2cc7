package io.wabatch.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabatch.sandbox.kafka.BrokerOptions;
import io.wabatch.sandbox.kafka.EmbeddedKafkaBroker;
import io.wabatch.sandbox.kafka.LogCapture;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The transactional producer of the consume loops ({@link KafkaClients#transactionalProducer}) starting a
 * transaction while the broker is still completing the previous one's commit (KAFKA-15591, see
 * {@code KafkaClients}). The race needs a commit that takes longer than the broker waits to add a partition to the
 * next transaction: a fresh broker's first commit or a loaded machine does that now and then; this test's broker
 * waits 1 ms instead of 100, so that nearly every transaction boundary races. With several produce requests in
 * flight, about one transaction in four then had pipelined produces refused with the broker's "Expected sequence 0
 * for transactions v2 idempotent producer with no existing state" (15 of 60 transactions of 1 KB batches).
 */
class TransactionBoundaryIT {

    private static final int PARTITIONS = 12;
    private static final int RECORDS_PER_PARTITION = 100;
    private static final int TRANSACTIONS = 30;

    @Test
    @Timeout(90)
    void backToBackTransactionsAreNeverRefusedAnOutOfOrderSequenceAndCommitEveryRecordOnce() throws Exception {
        BrokerOptions options = BrokerOptions.defaults().withBrokerProperty("add.partitions.to.txn.retry.backoff.max.ms", "1");
        String topic = "boundary-" + UUID.randomUUID();
        String clientId = "boundary-" + UUID.randomUUID().toString().substring(0, 8);
        LogCapture log = LogCapture.attach();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(options);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
            broker.awaitTopicReady(topic, Duration.ofSeconds(30));
            // Batches of about two records: several produce requests per partition are ready at once.
            try (KafkaProducer<byte[], byte[]> producer = KafkaClients.transactionalProducer(settings(broker), clientId,
                    "tx-" + clientId, Map.of(ProducerConfig.BATCH_SIZE_CONFIG, 1024))) {
                producer.initTransactions();
                byte[] value = new byte[400];
                for (int t = 0; t < TRANSACTIONS; t++) {
                    producer.beginTransaction();
                    for (int r = 0; r < RECORDS_PER_PARTITION; r++) {
                        for (int p = 0; p < PARTITIONS; p++) {
                            producer.send(new ProducerRecord<>(topic, p, null, value));
                        }
                    }
                    producer.commitTransaction();
                }
            }
            assertThat(log.lines(clientId, topic)).as("the race this test is about happened")
                    .anyMatch(line -> line.contains("CONCURRENT_TRANSACTIONS"));
            assertThat(log.lines(clientId, topic)).as("produces refused for their sequence (client WARN, broker ERROR)")
                    .noneMatch(line -> line.contains("OUT_OF_ORDER_SEQUENCE") || line.contains("Expected sequence 0"));
            assertThat(committedRecords(broker, topic)).isEqualTo(TRANSACTIONS * RECORDS_PER_PARTITION * PARTITIONS);
        } finally {
            log.detach();
        }
    }

    private static KafkaSettings settings(EmbeddedKafkaBroker broker) {
        return new KafkaSettings() {
            @Override
            public String bootstrapServers() {
                return broker.bootstrapServers();
            }

            @Override
            public String groupId() {
                throw new UnsupportedOperationException("no group");
            }

            @Override
            public Map<String, Object> kafkaProperties() {
                return Map.of();
            }
        };
    }

    private static long committedRecords(EmbeddedKafkaBroker broker, String topic) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> all = IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            long count = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            // Every partition to its end: a record committed twice would show as a count above the expected one.
            while (System.nanoTime() < deadline && !atEnd(consumer, all)) {
                for (ConsumerRecord<byte[], byte[]> ignored : consumer.poll(Duration.ofMillis(200))) {
                    count++;
                }
            }
            return count;
        }
    }

    private static boolean atEnd(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
    }
}
