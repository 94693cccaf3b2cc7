package io.wabatch.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wabatch.common.contract.CallbackToken;
import io.wabatch.common.contract.InDoubtPolicy;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.kafka.Outputs;
import io.wabatch.common.kafka.TopicNames;
import io.wabatch.common.kafka.Topics;
import io.wabatch.ops.cli.WabatchCli;
import io.wabatch.ops.demo.DemoOptions;
import io.wabatch.ops.demo.DemoStack;
import io.wabatch.ops.demo.ResultsWatcher;
import io.wabatch.sandbox.api.SandboxConfig;
import io.wabatch.sandbox.api.media.StoredMedia;
import io.wabatch.sandbox.api.stats.StatsSnapshot;
import io.wabatch.sandbox.kafka.KafkaTestBroker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The media re-upload round trip through the real stack: a media id that became unknown at the
 * API (deleted there while its ready jobs waited on a paused channel) is answered 131053, the
 * sender sends each job back to {@code wa.jobs}, the upload worker uploads the link again (once,
 * not once per recipient, and not the stale cached id), and every recipient gets the message
 * exactly once with generation 2 in its correlation token.
 */
@Timeout(90)
class ReuploadRoundTripIT {

    private static final String CHANNEL = DemoStack.D360_CHANNEL;
    private static final String NUMBER = SandboxConfig.DEMO_D360_NUMBER_ID;
    private static final int RECIPIENTS = 8;

    private static DemoStack stack;
    private static TopicNames topics;

    @BeforeAll
    static void startPaused() throws Exception {
        String prefix = "reupload-" + UUID.randomUUID().toString().substring(0, 8);
        // 20 mps (paced at 19/s) spreads the refused sends over ~0.4 s, so their re-upload requests
        // reach the upload worker one after another, not all inside one single-flight upload.
        // The pair window keeps its 6 s: a refused send (131053) takes no pair slot, so the resend
        // of generation 2 does not wait for it.
        DemoOptions options = new DemoOptions(KafkaTestBroker.bootstrapServers(), 0, 0, 20, 4,
                TopicNames.withPrefix(prefix), Map.of());
        topics = options.topics();
        // The channel is paused before the sender starts (it applies wa.control before consuming),
        // so the first generation cannot be sent before its media id is gone.
        Topics.create(KafkaTestBroker.admin(), topics.specs(options.partitions()), (short) 1);
        channel("pause");
        stack = DemoStack.start(options);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void expiredMediaIdIsUploadedAgainAndEachRecipientGetsGenerationTwoOnce() throws Exception {
        String campaign = "reupload-" + UUID.randomUUID().toString().substring(0, 6);
        String jobId = campaign + "-0";
        // An explicit in_doubt (the default's value, so sending is unchanged) must survive the re-upload.
        publish(Jobs.batch(jobId, campaign, CHANNEL, RECIPIENTS, 300,
                        Jobs.image(stack.origin().url("/media/sample.jpg"), "Hi {{name}}"))
                .put("in_doubt", "park").toString());

        List<ReadyJob> first = awaitReady(campaign, 1, RECIPIENTS);
        String staleId = first.get(0).media().get(0).mediaId();
        assertThat(first).allSatisfy(job -> {
            assertThat(job.media()).singleElement().satisfies(ref -> assertThat(ref.mediaId()).isEqualTo(staleId));
            assertThat(job.message().at("/image/id").asText()).isEqualTo(staleId);
        });
        assertThat(stack.sandbox().stats(NUMBER).accepted()).as("nothing is sent while the channel is paused").isZero();

        deleteAtApi(staleId);
        channel("resume");

        List<JobResult> results = awaitResults(campaign);
        assertThat(results).hasSize(RECIPIENTS).allSatisfy(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED);
            assertThat(r.generation()).isEqualTo(2);
            assertThat(r.wamid()).isNotBlank();
        });

        List<ReadyJob> second = awaitReady(campaign, 2, RECIPIENTS);
        String freshId = second.get(0).media().get(0).mediaId();
        assertThat(freshId).isNotEqualTo(staleId);
        assertThat(second).as("one re-upload serves every recipient").allSatisfy(job -> {
            assertThat(job.media()).singleElement().satisfies(ref -> assertThat(ref.mediaId()).isEqualTo(freshId));
            assertThat(job.message().at("/image/id").asText()).isEqualTo(freshId);
        });
        assertThat(second).as("the re-upload keeps the campaign's in_doubt")
                .allSatisfy(job -> assertThat(job.inDoubt()).isEqualTo(InDoubtPolicy.PARK));

        List<CallbackToken> sent = stack.sandbox().messages(NUMBER).stream()
                .map(m -> CallbackToken.parse(m.callback()))
                .filter(t -> t != null && t.campaignId().equals(campaign)).toList();
        assertThat(sent).extracting(CallbackToken::jobId).containsExactlyInAnyOrderElementsOf(
                first.stream().map(ReadyJob::jobId).toList());
        assertThat(sent).extracting(CallbackToken::generation).containsOnly(2);
        assertThat(stack.sandbox().messages(NUMBER).stream().map(m -> m.to()).collect(Collectors.toSet()))
                .hasSize(RECIPIENTS);

        StatsSnapshot stats = stack.sandbox().stats(NUMBER);
        assertThat(stats.rejectedByCode()).as("each generation-1 send was refused for its media id")
                .containsEntry(131053, (long) RECIPIENTS);
        assertThat(stats.accepted()).isEqualTo(RECIPIENTS);
        assertThat(stats.duplicates()).isZero();
        assertThat(stats.duplicateBodies()).isZero();

        List<StoredMedia> uploads = stack.sandbox().uploads().stream().filter(u -> u.number().equals(NUMBER)).toList();
        assertThat(uploads).as("the first upload and exactly one re-upload").hasSize(2);
        assertThat(uploads).filteredOn(StoredMedia::deleted).extracting(StoredMedia::id).containsExactly(staleId);
        assertThat(uploads).filteredOn(u -> !u.deleted()).extracting(StoredMedia::id).containsExactly(freshId);

        assertThat(readToEnd(topics.jobs()).stream().filter(ReuploadRoundTripIT::isReuploadRequest))
                .as("one re-upload request per refused message").hasSize(RECIPIENTS);
        assertThat(readToEnd(topics.dlq())).as("nothing dead-lettered").isEmpty();
        assertThat(stack.uploadWorker().failure()).isNull();
        assertThat(stack.senderWorker().failure()).isNull();
    }

    private static void channel(String command) {
        assertThat(WabatchCli.execute("channel", command, CHANNEL, "-b", KafkaTestBroker.bootstrapServers(),
                "--topic", topics.control(), "--reason", "re-upload test")).isZero();
    }

    /** {@code DELETE /{media-id}} with the channel's credential: the id is unknown to the API from now on. */
    private static void deleteAtApi(String mediaId) throws IOException, InterruptedException {
        HttpRequest delete = HttpRequest.newBuilder(URI.create(stack.sandbox().baseUrl() + "/" + mediaId))
                .header("D360-API-KEY", SandboxConfig.DEMO_D360_API_KEY).DELETE().build();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(delete, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    private static List<JobResult> awaitResults(String campaign) {
        try (ResultsWatcher watcher = new ResultsWatcher(stack.bootstrap(), topics.results(), campaign)) {
            assertThat(watcher.awaitResults(RECIPIENTS, Duration.ofSeconds(30), w -> { }))
                    .as("a result for every recipient").isTrue();
            assertThat(watcher.duplicateResults()).isZero();
            return new ArrayList<>(watcher.results().values());
        }
    }

    /** The campaign's ready jobs of one generation, once there are {@code count} of them. */
    private static List<ReadyJob> awaitReady(String campaign, int generation, int count) {
        List<ReadyJob> found = new ArrayList<>();
        readUntil(topics.ready(), record -> {
            ReadyJob job = decode(record.value());
            if (job != null && job.campaignId().equals(campaign) && job.generation() == generation) {
                found.add(job);
            }
            return found.size() >= count;
        });
        assertThat(found).extracting(ReadyJob::jobId).doesNotHaveDuplicates();
        return found;
    }

    private static ReadyJob decode(byte[] value) {
        try {
            return ReadyJob.decode(value);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean isReuploadRequest(ConsumerRecord<byte[], byte[]> record) {
        var kind = record.headers().lastHeader(Outputs.KIND);
        return kind != null && Outputs.KIND_REUPLOAD.equals(new String(kind.value(), StandardCharsets.UTF_8));
    }

    /** Reads {@code topic} from its beginning (committed records) until {@code done} says so. */
    private static void readUntil(String topic, Predicate<ConsumerRecord<byte[], byte[]>> done) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.subscribe(List.of(topic));
            boolean[] finished = {false};
            await(topic).atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    finished[0] |= done.test(record);
                }
                return finished[0];
            });
        }
    }

    /** Every committed record of {@code topic} up to its current end. */
    private static List<ConsumerRecord<byte[], byte[]>> readToEnd(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            await(topic + " read to its end").atMost(Duration.ofSeconds(15)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
            return records;
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reupload-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static void publish(String job) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.jobs(), job.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
