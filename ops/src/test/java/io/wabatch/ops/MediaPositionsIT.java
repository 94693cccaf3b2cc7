package io.wabatch.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.CallbackToken;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.MediaPositionCorpus;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.kafka.Outputs;
import io.wabatch.ops.demo.DemoOptions;
import io.wabatch.ops.demo.DemoStack;
import io.wabatch.sandbox.api.SandboxConfig;
import io.wabatch.sandbox.api.stats.AcceptedMessage;
import io.wabatch.sandbox.api.stats.StatsSnapshot;
import io.wabatch.sandbox.kafka.KafkaTestBroker;
import io.wabatch.sandbox.origin.MediaOrigin;
import io.wabatch.sandbox.origin.Route;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every position a message can carry media in (whatsapp-api-facts §9), as jobs with links
 * published with kcat through the demo stack: each message is accepted exactly once, the sandbox
 * receives one upload per distinct media and not one media by link at {@code /messages}; and the
 * carousel and header rule breakers end in {@code wa.dlq} with their reason and no download or
 * upload of their media.
 */
@Timeout(240)
class MediaPositionsIT {

    private static final Logger FIGURES = LoggerFactory.getLogger("figures");
    private static final String NUMBER = SandboxConfig.DEMO_D360_NUMBER_ID;
    private static final int RECIPIENTS = 2;

    private static Path dir;
    private static Kcat kcat;
    private static DemoStack stack;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("positions-");
        kcat = Kcat.require(dir, KafkaTestBroker.bootstrapServers());
        stack = DemoStack.start(DemoOptions.forTest(KafkaTestBroker.bootstrapServers(),
                "positions-" + UUID.randomUUID().toString().substring(0, 8), Map.of()));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyMediaPositionIsUploadedOnceAndEveryMessageSentOnceByMediaId() throws Exception {
        String campaign = "positions-" + UUID.randomUUID().toString().substring(0, 6);
        Set<String> media = new LinkedHashSet<>();
        List<MediaPositionCorpus.Body> bodies = MediaPositionCorpus.bodies(distinctMedia(campaign, media));
        StatsSnapshot before = stack.sandbox().stats(NUMBER);

        int n = 0;
        for (MediaPositionCorpus.Body body : bodies) {
            ObjectNode job = Jobs.batch(campaign + "-" + n, campaign, DemoStack.D360_CHANNEL, RECIPIENTS,
                    700_000 + n * RECIPIENTS, body.message());
            stripVars(job);
            publish(job, body.name());
            n++;
        }

        int expected = bodies.size() * RECIPIENTS;
        Map<String, List<JobResult>> results = awaitResults(campaign, expected, Map.of());
        assertThat(results.values()).as("one accepted result per recipient").allSatisfy(list ->
                assertThat(list).singleElement().satisfies(r -> assertThat(r.outcome()).as(r.jobId() + " " + r.error())
                        .isEqualTo(Outcome.ACCEPTED)));
        List<String> sent = stack.sandbox().messages(NUMBER).stream().map(AcceptedMessage::callback)
                .map(CallbackToken::parse).filter(t -> t != null && t.campaignId().equals(campaign))
                .map(CallbackToken::jobId).toList();
        assertThat(sent).as("every message accepted by the API exactly once").hasSize(expected).doesNotHaveDuplicates();
        StatsSnapshot after = stack.sandbox().stats(NUMBER);
        assertThat(after.uploads() - before.uploads()).as("one upload per distinct media").isEqualTo(media.size());
        assertThat(after.linkMedia() - before.linkMedia()).as("media by link at /messages").isZero();
        assertThat(media).allSatisfy(name -> assertThat(stack.origin().requestCount(name))
                .as("%s downloaded once", name).isEqualTo(1));
        FIGURES.info("media positions: {} bodies x {} recipients accepted once each; {} distinct media, {} uploads,"
                + " {} link media at /messages", bodies.size(), RECIPIENTS, media.size(),
                after.uploads() - before.uploads(), after.linkMedia() - before.linkMedia());
    }

    @Test
    void everyCarouselAndHeaderRuleBreakerEndsInTheDlqWithItsReasonAndNoUpload() throws Exception {
        String campaign = "breakers-" + UUID.randomUUID().toString().substring(0, 6);
        Set<String> media = new LinkedHashSet<>();
        List<MediaPositionCorpus.Breaker> breakers = MediaPositionCorpus.breakers(distinctMedia(campaign, media));
        long uploadsBefore = stack.sandbox().stats(NUMBER).uploads();

        Map<String, MediaPositionCorpus.Breaker> byJob = new HashMap<>();
        int n = 0;
        for (MediaPositionCorpus.Breaker breaker : breakers) {
            String jobId = campaign + "-" + n;
            publish(Jobs.single(jobId, campaign, DemoStack.D360_CHANNEL, String.format("+4915280%06d", n),
                    breaker.message()), breaker.name());
            byJob.put(jobId, breaker);
            n++;
        }

        Map<String, ConsumerRecord<byte[], byte[]>> deadLetters = new HashMap<>();
        Map<String, List<JobResult>> results = awaitResults(campaign, breakers.size(), deadLetters);
        byJob.forEach((jobId, breaker) -> {
            ConsumerRecord<byte[], byte[]> dead = deadLetters.get(jobId);
            assertThat(dead).as("'%s' dead-lettered", breaker.name()).isNotNull();
            assertThat(PipelineIT.header(dead, Outputs.ERROR_CODE)).isEqualTo("invalid_job");
            assertThat(PipelineIT.header(dead, Outputs.ERROR_STAGE)).isEqualTo("upload");
            assertThat(PipelineIT.header(dead, Outputs.ERROR_REASON)).as("'%s'", breaker.name())
                    .contains(breaker.path()).contains(breaker.reason());
            assertThat(results.get(jobId)).singleElement().satisfies(r -> {
                assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
                assertThat(r.error().code()).isEqualTo("invalid_job");
            });
        });
        assertThat(media).as("no breaker's media was downloaded")
                .allSatisfy(name -> assertThat(stack.origin().requestCount(name)).as(name).isZero());
        assertThat(stack.sandbox().stats(NUMBER).uploads()).as("nor uploaded").isEqualTo(uploadsBefore);
        assertThat(stack.uploadWorker().failure()).isNull();
    }

    /**
     * Links to distinct files at the media origin: each name gets the sample of its kind with the
     * name appended (JPEG, MP4 and PDF readers ignore trailing bytes), so no two share bytes and
     * the upload worker's same-bytes reuse cannot hide a missed upload. The paths go to {@code seen}.
     */
    private static Function<String, String> distinctMedia(String campaign, Set<String> seen) {
        MediaOrigin origin = stack.origin();
        return name -> {
            String path = "/media/" + campaign + "/" + name;
            if (seen.add(path)) {
                String extension = name.substring(name.lastIndexOf('.') + 1);
                String sample = switch (extension) {
                    case "jpg" -> "sample.jpg";
                    case "mp4" -> "sample.mp4";
                    case "pdf" -> "sample.pdf";
                    default -> throw new IllegalArgumentException(name);
                };
                byte[] bytes = MediaOrigin.sample(sample);
                byte[] tail = ("\n" + path + "\n").getBytes(StandardCharsets.UTF_8);
                byte[] distinct = java.util.Arrays.copyOf(bytes, bytes.length + tail.length);
                System.arraycopy(tail, 0, distinct, bytes.length, tail.length);
                origin.register(path, Route.bytes(distinct, MediaOrigin.SAMPLES.get(sample)));
            }
            return origin.url(path);
        };
    }

    private static void stripVars(ObjectNode job) {
        job.withArray("recipients").forEach(r -> ((ObjectNode) r).remove("vars"));
    }

    private static void publish(ObjectNode job, String name) throws Exception {
        Kcat.Result sent = kcat.publish(stack.topics().jobs(), 0, Json.bytes(job), job.get("job_id").asText(), null);
        assertThat(sent.exit()).as("kcat published '%s': %s", name, sent.output()).isZero();
    }

    /**
     * Reads {@code wa.results} (and {@code wa.dlq} into {@code deadLetters}, by job id) until
     * {@code count} results of {@code campaign} arrived.
     */
    private static Map<String, List<JobResult>> awaitResults(String campaign, int count,
                                                             Map<String, ConsumerRecord<byte[], byte[]>> deadLetters)
            throws java.io.IOException {
        Map<String, List<JobResult>> results = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = reader()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(stack.topics().dlq(), stack.topics().results())) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await(count + " results of " + campaign).atMost(Duration.ofSeconds(150)).pollInterval(Duration.ZERO)
                    .failFast("a worker stopped", () -> stack.uploadWorker().failure() != null
                            || stack.senderWorker().failure() != null)
                    .until(() -> {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                            if (r.topic().equals(stack.topics().dlq())) {
                                String jobId = PipelineIT.header(r, Outputs.JOB_ID);
                                if (jobId != null && jobId.startsWith(campaign + "-")) {
                                    deadLetters.put(jobId.replaceFirst("/.*", ""), r);
                                }
                            } else {
                                JobResult result = Json.read(r.value(), JobResult.class);
                                if (campaign.equals(result.campaignId())) {
                                    results.computeIfAbsent(result.jobId(), k -> new ArrayList<>()).add(result);
                                }
                            }
                        }
                        return results.values().stream().mapToInt(List::size).sum() >= count;
                    });
            // late duplicates would show here: read a little longer
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                if (r.topic().equals(stack.topics().results())) {
                    JobResult result = Json.read(r.value(), JobResult.class);
                    if (campaign.equals(result.campaignId())) {
                        results.computeIfAbsent(result.jobId(), k -> new ArrayList<>()).add(result);
                    }
                }
            }
        }
        return results;
    }

    private static KafkaConsumer<byte[], byte[]> reader() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
