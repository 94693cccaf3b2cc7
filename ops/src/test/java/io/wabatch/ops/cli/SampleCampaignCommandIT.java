package io.wabatch.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.common.contract.Json;
import io.wabatch.ops.demo.SampleCampaign;
import io.wabatch.sandbox.kafka.KafkaTestBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** {@code wabatch sample-campaign}, the campaign of {@code docker compose up}, against a real broker. */
@Timeout(60)
class SampleCampaignCommandIT {

    @Test
    void publishesTheDemoCampaignWithLinksNamingTheMediaHost() throws Exception {
        String topic = KafkaTestBroker.uniqueTopic("sample-jobs");
        KafkaTestBroker.createTopic(topic, 1);

        int exit = new CommandLine(new SampleCampaignCommand()).execute("-b", KafkaTestBroker.bootstrapServers(),
                "--topic", topic, "--channels", "a,b", "--media-port", "0", "--media-host", "sample-campaign");

        assertThat(exit).isZero();
        List<JsonNode> jobs = readAll(topic);
        int recipients = jobs.stream().mapToInt(j -> j.path("recipients").size()).sum();
        assertThat(recipients).isEqualTo(2 * SampleCampaign.PER_CHANNEL);
        assertThat(jobs).extracting(j -> j.path("channel").asText()).containsOnly("a", "b");
        List<String> links = jobs.stream().map(j -> j.path("message").findValue("link")).filter(l -> l != null)
                .map(JsonNode::asText).toList();
        assertThat(links).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("http://sample-campaign:"));
    }

    private static List<JsonNode> readAll(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers());
        List<JsonNode> jobs = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    try {
                        jobs.add(Json.mapper().readTree(r.value()));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                return consumer.position(partition) >= end;
            });
        }
        return jobs;
    }
}
