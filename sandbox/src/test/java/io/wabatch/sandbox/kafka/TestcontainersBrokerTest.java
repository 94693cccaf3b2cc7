package io.wabatch.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fixture's Testcontainers path; needs a Docker engine, and says so when skipped. */
class TestcontainersBrokerTest {

    @Test
    @Timeout(300)
    void containerBrokerRoundTripsOneRecord() throws Exception {
        assumeTrue(TestcontainersKafka.isDockerAvailable(),
                "Docker not available: Testcontainers Kafka mode not tested here");

        try (BrokerHandle broker = TestcontainersKafka.start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
             KafkaProducer<String, String> producer = TestRecords.producer(broker.bootstrapServers())) {
            assertThat(broker.mode()).isEqualTo(BrokerMode.TESTCONTAINERS);
            assertThat(broker.embedded()).isEmpty();
            admin.createTopics(List.of(new NewTopic("one-record", 1, (short) 1))).all().get();
            TopicReadiness.await(admin, "one-record", Duration.ofSeconds(30));

            TestRecords.send(producer, "one-record", Map.of("key", "value"));

            assertThat(TestRecords.readAll(broker.bootstrapServers(), "one-record", 1, Duration.ofSeconds(30)))
                    .containsExactly(Map.entry("key", "value"));
        }
    }
}
