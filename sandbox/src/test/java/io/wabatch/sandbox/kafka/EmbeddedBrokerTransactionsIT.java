package io.wabatch.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A transaction that starts while the broker still completes the previous one's commit must not be refused
 * (KAFKA-15591, see {@link BrokerProperties}). A fresh broker's first commit and any commit on a loaded machine
 * can take longer than Kafka's default 100 ms wait; here every commit writes markers to 812 partitions, which took
 * 45-260 ms. With Kafka's default the test failed 3 of 3 runs (37 to 61 lines of CONCURRENT_TRANSACTIONS and, for
 * the produces pipelined behind, "Expected sequence 0 for transactions v2 idempotent producer with no existing
 * state"); with the embedded broker's 5 s it passed 3 of 3.
 */
@Tag("slow")
class EmbeddedBrokerTransactionsIT {

    private static final int PARTITIONS = 12;
    private static final int WIDE_PARTITIONS = 800;
    private static final int TRANSACTIONS = 5;

    @Test
    @Timeout(120)
    void aTransactionStartedWhileThePreviousCommitCompletesIsNotRefused() throws Exception {
        String topic = "burst-" + UUID.randomUUID();
        String wide = "wide-" + UUID.randomUUID();
        String clientId = "first-commit-" + UUID.randomUUID().toString().substring(0, 8);
        LogCapture log = LogCapture.attach();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1),
                    new NewTopic(wide, WIDE_PARTITIONS, (short) 1))).all().get();
            broker.awaitTopicReady(topic, Duration.ofSeconds(30));
            broker.awaitTopicReady(wide, Duration.ofSeconds(60));
            try (KafkaProducer<byte[], byte[]> producer = producer(broker, clientId)) {
                producer.initTransactions();
                byte[] value = new byte[400];
                for (int t = 0; t < TRANSACTIONS; t++) {
                    producer.beginTransaction();
                    burst(producer, topic, value);
                    // Markers to 812 partitions: each commit takes about 50-260 ms to complete.
                    for (int p = 0; p < WIDE_PARTITIONS; p++) {
                        producer.send(new ProducerRecord<>(wide, p, null, value));
                    }
                    producer.commitTransaction();
                }
            }
            assertThat(log.lines(clientId, topic)).as("client WARNs and broker ERRORs about %s", topic)
                    .noneMatch(line -> line.contains("CONCURRENT_TRANSACTIONS") || line.contains("OUT_OF_ORDER_SEQUENCE")
                            || line.contains("Expected sequence 0"));
        } finally {
            log.detach();
        }
    }

    /** Several produce requests per partition in flight at once: 100 records of 400 B each, in 1 KB batches. */
    private static void burst(KafkaProducer<byte[], byte[]> producer, String topic, byte[] value) {
        for (int r = 0; r < 100; r++) {
            for (int p = 0; p < PARTITIONS; p++) {
                producer.send(new ProducerRecord<>(topic, p, null, value));
            }
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(EmbeddedKafkaBroker broker, String clientId) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + clientId,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 1024,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5),
                new ByteArraySerializer(), new ByteArraySerializer());
    }
}
