package io.wabatch.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.internals.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class KafkaTestBrokerTest {

    @Test
    @Timeout(90)
    void createdTopicTakesIdempotentRecordsRightAway() throws Exception {
        String topic = KafkaTestBroker.uniqueTopic("fixture");
        KafkaTestBroker.createTopic(topic, 6, Map.of("retention.ms", "3600000"));

        try (KafkaProducer<String, String> producer = TestRecords.producer(KafkaTestBroker.bootstrapServers())) {
            TestRecords.send(producer, topic, TestRecords.keyed(0, 300));
        }

        assertThat(TestRecords.readAll(KafkaTestBroker.bootstrapServers(), topic, 300, Duration.ofSeconds(30)))
                .isEqualTo(TestRecords.keyed(0, 300));
        TopicDescription description = KafkaTestBroker.admin().describeTopics(Set.of(topic))
                .allTopicNames().get().get(topic);
        assertThat(description.partitions()).hasSize(6);
    }

    @Test
    @Timeout(60)
    void embeddedModeIsTheDefaultAndExposesTheBroker() {
        boolean defaultMode = isBlank(System.getProperty(KafkaTestBroker.BOOTSTRAP_PROPERTY))
                && BrokerMode.select(null, System.getProperty(KafkaTestBroker.MODE_PROPERTY)) == BrokerMode.EMBEDDED;
        assumeTrue(defaultMode, "a non-default broker was chosen");

        assertThat(KafkaTestBroker.embedded()).hasValueSatisfying(broker -> {
            assertThat(broker.isRunning()).isTrue();
            assertThat(broker.bootstrapServers()).isEqualTo(KafkaTestBroker.bootstrapServers());
        });
    }

    @Test
    @Timeout(60)
    void closingTheSharedAdminLeavesItUsable() throws Exception {
        Admin admin = KafkaTestBroker.admin();
        admin.close();

        assertThat(KafkaTestBroker.admin()).isSameAs(admin);
        assertThat(admin.describeCluster().nodes().get()).isNotEmpty();
    }

    @Test
    @Timeout(60)
    void aMissingTopicIsNeverReady() {
        String topic = KafkaTestBroker.uniqueTopic("missing");

        assertThatThrownBy(() -> TopicReadiness.await(KafkaTestBroker.admin(), topic, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Topic " + topic + " not ready within PT1S");
    }

    @Test
    void uniqueTopicNamesAreLegalAndDistinct() {
        Set<String> names = IntStream.range(0, 100)
                .mapToObj(i -> KafkaTestBroker.uniqueTopic("send jobs/é" + "x".repeat(i * 3)))
                .collect(Collectors.toSet());

        assertThat(names).hasSize(100).allSatisfy(name -> {
            assertThat(name).startsWith("send-jobs--");
            Topic.validate(name);
        });
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
