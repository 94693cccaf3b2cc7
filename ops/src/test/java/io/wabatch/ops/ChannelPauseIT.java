package io.wabatch.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wabatch.common.api.ApiEndpoint;
import io.wabatch.common.channel.Channel;
import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.secret.Secret;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.kafka.TopicNames;
import io.wabatch.common.kafka.Topics;
import io.wabatch.ops.cli.WabatchCli;
import io.wabatch.ops.demo.ResultsWatcher;
import io.wabatch.sandbox.api.SandboxConfig;
import io.wabatch.sandbox.api.SandboxServer;
import io.wabatch.sandbox.kafka.KafkaTestBroker;
import io.wabatch.sender.SenderWorker;
import io.wabatch.sender.config.SenderWorkerConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A channel whose credential the API refuses is paused, not failed: its messages wait, the pause is
 * published to wa.control, a restarted sender (credential fixed) keeps it paused, and
 * {@code wabatch channel resume} lets every message go, each exactly once.
 */
@Timeout(120)
class ChannelPauseIT {

    private static final String CHANNEL = "pause-me";
    private static SandboxServer sandbox;
    private static TopicNames topics;

    @BeforeAll
    static void start() throws Exception {
        sandbox = SandboxServer.start(SandboxConfig.defaults().toBuilder().port(0).build());
        topics = TopicNames.withPrefix("pause-" + UUID.randomUUID().toString().substring(0, 8));
        Topics.create(KafkaTestBroker.admin(), topics.specs(2), (short) 1);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void aRefusedCredentialPausesTheChannelAndResumeSendsEverythingOnce() throws Exception {
        String campaign = "pause-" + UUID.randomUUID().toString().substring(0, 6);
        publish(campaign, 30);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (SenderWorker broken = SenderWorker.start(config(), registry("wrong-key"), meters)) {
            broken.assigned().join();
            await("the channel is paused after the API refused the key").atMost(Duration.ofSeconds(30))
                    .until(() -> meters.get("wabatch.sender.channel.state").tag("channel", CHANNEL).tag("state", "paused")
                            .gauge().value() == 1.0
                            && broken.inFlight() > 0);
        }
        assertThat(results(campaign, 1, Duration.ofSeconds(2))).as("nothing failed while paused").isEmpty();

        try (SenderWorker fixed = SenderWorker.start(config(), registry(SandboxConfig.DEMO_D360_API_KEY),
                new SimpleMeterRegistry())) {
            fixed.assigned().join();
            assertThat(results(campaign, 1, Duration.ofSeconds(3))).as("still paused after the restart").isEmpty();
            assertThat(sandbox.stats(SandboxConfig.DEMO_D360_NUMBER_ID).accepted()).isZero();

            assertThat(WabatchCli.execute("channel", "resume", CHANNEL, "-b", KafkaTestBroker.bootstrapServers(),
                    "--topic", topics.control())).isZero();

            Map<String, JobResult> results = results(campaign, 30, Duration.ofSeconds(60));
            assertThat(results).hasSize(30);
            assertThat(results.values()).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED));
            assertThat(sandbox.stats(SandboxConfig.DEMO_D360_NUMBER_ID).accepted()).isEqualTo(30);
            assertThat(sandbox.stats(SandboxConfig.DEMO_D360_NUMBER_ID).duplicates()).isZero();
        }
    }

    private static Map<String, JobResult> results(String campaign, int expected, Duration wait) {
        try (ResultsWatcher watcher = new ResultsWatcher(KafkaTestBroker.bootstrapServers(), topics.results(), campaign)) {
            watcher.awaitResults(expected, wait, w -> { });
            return new HashMap<>(watcher.results());
        }
    }

    private static SenderWorkerConfig config() {
        Map<String, String> values = new HashMap<>(topics.asConfig());
        values.put("bootstrap.servers", KafkaTestBroker.bootstrapServers());
        values.put("shutdown.drain.timeout.ms", "2000");
        values.put("policy.window.enforce", "false");
        return new SenderWorkerConfig(values);
    }

    private static ChannelRegistry registry(String key) {
        return ChannelRegistry.of(List.of(new Channel(CHANNEL, ApiEndpoint.d360(URI.create(sandbox.baseUrl()),
                Secret.of(key)), null, 0, 80, 0.95, 2, 25)));
    }

    private static void publish(String campaign, int count) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                var message = Json.mapper().createObjectNode().put("type", "text");
                message.putObject("text").put("body", "hello " + i);
                ReadyJob job = new ReadyJob(1, campaign + "-" + i, campaign, CHANNEL, String.format("4915300%06d", i),
                        message, List.of(), null, null, null, null, 1, Instant.now(), Instant.now());
                producer.send(new ProducerRecord<>(topics.ready(), 0, job.key().getBytes(StandardCharsets.UTF_8),
                        Json.bytes(job)));
            }
        }
    }
}
