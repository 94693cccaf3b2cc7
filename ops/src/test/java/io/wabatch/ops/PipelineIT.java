package io.wabatch.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.CallbackToken;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.kafka.Outputs;
import io.wabatch.ops.demo.DemoOptions;
import io.wabatch.ops.demo.DemoStack;
import io.wabatch.ops.demo.ResultsWatcher;
import io.wabatch.sandbox.api.SandboxConfig;
import io.wabatch.sandbox.api.stats.AcceptedMessage;
import io.wabatch.sandbox.kafka.KafkaTestBroker;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole pipeline in-process against the shared test broker, the sandbox API over loopback
 * HTTP and a local media origin: jobs in, the API's own record of what it accepted out.
 */
@Timeout(180)
class PipelineIT {

    private static DemoStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        String prefix = "pipeline-" + UUID.randomUUID().toString().substring(0, 8);
        stack = DemoStack.start(DemoOptions.forTest(KafkaTestBroker.bootstrapServers(), prefix,
                Map.of("media.download.timeout.ms", "10000")));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyPublishedJobIsAcceptedExactlyOnceByTheApi() {
        String campaign = "exactly-once-" + UUID.randomUUID().toString().substring(0, 6);
        List<ObjectNode> jobs = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int j = 0; j < 6; j++) {
            String channel = j % 2 == 0 ? DemoStack.D360_CHANNEL : DemoStack.META_CHANNEL;
            ObjectNode job = Jobs.batch(campaign + "-" + j, campaign, channel, 40, j * 100,
                    Jobs.image(stack.origin().url("/media/sample.jpg"), "Hi {{name}}"));
            jobs.add(job);
            for (int i = 0; i < 40; i++) {
                expected.add(campaign + "-" + j + "/" + i);
            }
        }
        jobs.add(Jobs.single(campaign + "-text", campaign, DemoStack.META_CHANNEL, "+4915199990000",
                Jobs.text("plain text, no media")));
        expected.add(campaign + "-text");
        publish(jobs);

        Map<String, JobResult> results = awaitResults(campaign, expected.size());
        assertThat(results.values()).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED));

        List<String> acceptedJobIds = Stream.of(SandboxConfig.DEMO_D360_NUMBER_ID, SandboxConfig.DEMO_META_NUMBER_ID)
                .flatMap(number -> stack.sandbox().messages(number).stream())
                .map(AcceptedMessage::callback).map(CallbackToken::parse)
                .filter(t -> t != null && t.campaignId().equals(campaign))
                .map(CallbackToken::jobId).toList();
        assertThat(acceptedJobIds).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(stack.sandbox().stats(SandboxConfig.DEMO_D360_NUMBER_ID).duplicates()).isZero();
        assertThat(stack.sandbox().stats(SandboxConfig.DEMO_META_NUMBER_ID).duplicateBodies()).isZero();
    }

    @Test
    void unreachableLinkEndsInDlqAndFailedResultsWhileOtherJobsGoThrough() throws Exception {
        String campaign = "dead-link-" + UUID.randomUUID().toString().substring(0, 6);
        String deadLink = "http://127.0.0.1:" + closedPort() + "/gone.jpg";
        publish(List.of(
                Jobs.batch(campaign + "-ok-1", campaign, DemoStack.D360_CHANNEL, 5, 500,
                        Jobs.image(stack.origin().url("/media/sample.png"), "fine")),
                Jobs.batch(campaign + "-dead", campaign, DemoStack.D360_CHANNEL, 3, 600, Jobs.image(deadLink, "gone")),
                Jobs.batch(campaign + "-ok-2", campaign, DemoStack.D360_CHANNEL, 5, 700, Jobs.text("after the dead link"))));

        Map<String, JobResult> results = awaitResults(campaign, 13);
        assertThat(results.values().stream().filter(r -> r.outcome() == Outcome.ACCEPTED)).hasSize(10);
        for (int i = 0; i < 3; i++) {
            JobResult failed = results.get(campaign + "-dead/" + i);
            assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(failed.error().code()).isEqualTo("media_unavailable");
            assertThat(failed.error().details()).contains("cannot fetch").contains(deadLink);
        }
        ConsumerRecord<byte[], byte[]> dead = awaitDeadLetter(campaign + "-dead");
        assertThat(header(dead, Outputs.ERROR_CODE)).isEqualTo("media_unavailable");
        assertThat(header(dead, Outputs.ERROR_REASON)).contains(deadLink);
        assertThat(header(dead, Outputs.ERROR_STAGE)).isEqualTo("upload");
    }

    @Test
    void invalidJobsAndBadRecipientsEndInDlqWithTheirReasons() {
        String campaign = "invalid-" + UUID.randomUUID().toString().substring(0, 6);
        ObjectNode bothIdAndLink = Jobs.single(campaign + "-both", campaign, DemoStack.META_CHANNEL, "+4915100000001",
                Jobs.image(stack.origin().url("/media/sample.jpg"), "x"));
        ((ObjectNode) bothIdAndLink.get("message").get("image")).put("id", "123");
        ObjectNode badNumber = Jobs.batch(campaign + "-mixed", campaign, DemoStack.META_CHANNEL, 2, 800,
                Jobs.text("hello {{name}}"));
        ((com.fasterxml.jackson.databind.node.ArrayNode) badNumber.get("recipients")).addObject().put("to", "12");
        publish(List.of(bothIdAndLink, badNumber));
        publishRaw("not json at all".getBytes(StandardCharsets.UTF_8));

        Map<String, JobResult> results = awaitResults(campaign, 4);
        assertThat(results.get(campaign + "-both").outcome()).isEqualTo(Outcome.FAILED);
        assertThat(results.get(campaign + "-both").error().details()).contains("message.image: has both id and link");
        assertThat(results.get(campaign + "-mixed/0").outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(results.get(campaign + "-mixed/2").error().details()).contains("recipients[2]");
        assertThat(header(awaitDeadLetter(campaign + "-both"), Outputs.ERROR_CODE)).isEqualTo("invalid_job");
        assertThat(header(awaitDeadLetter(campaign + "-mixed/2"), Outputs.ERROR_CODE)).isEqualTo("invalid_recipient");
        ConsumerRecord<byte[], byte[]> garbage = awaitDeadLetterWhere(r -> new String(r.value(), StandardCharsets.UTF_8)
                .equals("not json at all"));
        assertThat(header(garbage, Outputs.ERROR_REASON)).contains("is not valid JSON");
        assertThat(stack.uploadWorker().failure()).isNull();
    }

    private static Map<String, JobResult> awaitResults(String campaign, int expected) {
        try (ResultsWatcher watcher = new ResultsWatcher(stack.bootstrap(), stack.topics().results(), campaign)) {
            assertThat(watcher.awaitResults(expected, Duration.ofSeconds(120), w -> { }))
                    .as("all %d results of %s arrive", expected, campaign).isTrue();
            assertThat(watcher.duplicateResults()).isZero();
            return new HashMap<>(watcher.results());
        }
    }

    private static ConsumerRecord<byte[], byte[]> awaitDeadLetter(String jobId) {
        return awaitDeadLetterWhere(r -> jobId.equals(header(r, Outputs.JOB_ID)));
    }

    private static ConsumerRecord<byte[], byte[]> awaitDeadLetterWhere(
            java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> match) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(stack.topics().dlq()));
            List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
            await("dead letter").atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (match.test(r)) {
                        found.add(r);
                    }
                });
                return !found.isEmpty();
            });
            return found.get(0);
        }
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void publish(List<ObjectNode> jobs) {
        jobs.forEach(job -> publishRaw(Json.bytes(job)));
    }

    private static void publishRaw(byte[] value) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(stack.topics().jobs(), value));
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
