package io.wabatch.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.CallbackToken;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.kafka.Outputs;
import io.wabatch.common.kafka.TopicNames;
import io.wabatch.ops.demo.DemoOptions;
import io.wabatch.ops.demo.DemoStack;
import io.wabatch.sandbox.api.SandboxConfig;
import io.wabatch.sandbox.api.stats.AcceptedMessage;
import io.wabatch.sandbox.kafka.KafkaTestBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
 * Hostile records published with a real external client (kcat, librdkafka) onto the jobs topic
 * and the ready topic of a running pipeline: each ends in {@code wa.dlq}, whole, with a reason a
 * person can act on, and a {@code failed} result; a valid job published after each one is sent
 * exactly once; both workers keep running. A record above the jobs topic's
 * {@code max.message.bytes} is refused by the broker at the door.
 */
@Timeout(240)
class HostileInputIT {

    private static final Logger FIGURES = LoggerFactory.getLogger("figures");

    private static Kcat kcat;
    private static Path dir;
    private static DemoStack stack;

    /** One hostile record: what is published and what its dead letter must say. */
    private record Case(String name, byte[] value, String key, String header, String code, String reason) {
    }

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("hostile-");
        kcat = Kcat.require(dir, KafkaTestBroker.bootstrapServers());
        stack = DemoStack.start(DemoOptions.forTest(KafkaTestBroker.bootstrapServers(),
                "hostile-" + UUID.randomUUID().toString().substring(0, 8), Map.of()));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyMalformedJobEndsInTheDlqWithItsReasonWhileEachNeighbourIsSentOnce() throws Exception {
        String campaign = "hostile-" + UUID.randomUUID().toString().substring(0, 6);
        List<Case> cases = jobCases();
        Map<Long, Case> byOffset = publishBetweenNeighbours(stack.topics().jobs(), 0, cases, campaign, "+4915200%06d");

        Outcomes seen = awaitOutcomes(stack.topics().jobs(), byOffset, campaign, cases.size());
        assertEveryCase(byOffset, seen, "upload");
        assertNeighboursSentOnce(campaign, cases.size(), seen);
        FIGURES.info("hostile input on the jobs topic: {} malformed records dead-lettered with results, {} "
                + "neighbours accepted once each", byOffset.size(), cases.size());
    }

    @Test
    void everyMalformedReadyJobEndsInTheDlqWithItsReasonWhileEachNeighbourIsSentOnce() throws Exception {
        String campaign = "hostile-ready-" + UUID.randomUUID().toString().substring(0, 6);
        int partition = stack.registry().get(DemoStack.D360_CHANNEL).partition();
        List<Case> cases = readyCases();
        // Recipients of its own: the sandbox fails 2 % of deliveries by webhook, some with 131050, which opts the
        // recipient out (the funnel writes wa.optouts), and the sender then refuses later messages to them: a
        // neighbour to a recipient of the jobs-topic test would be refused, not accepted, now and then.
        Map<Long, Case> byOffset = publishBetweenNeighbours(stack.topics().ready(), partition, cases, campaign,
                "+4915201%06d");

        Outcomes seen = awaitOutcomes(stack.topics().ready(), byOffset, campaign, cases.size());
        assertEveryCase(byOffset, seen, "send");
        assertNeighboursSentOnce(campaign, cases.size(), seen);
    }

    @Test
    void aRecordAboveTheJobsTopicsMessageSizeIsRefusedByTheBroker() throws Exception {
        String topic = stack.topics().jobs();
        long before = endOffset(topic, 0);
        byte[] tooLarge = padded(TopicNames.JOBS_MAX_MESSAGE_BYTES + 10_000);
        // librdkafka's own limit is 1,000,000 bytes: raise it so the broker, not the client, refuses
        Kcat.Result sent = kcat(topic, 0, tooLarge, "too-large", null, "-X", "message.max.bytes=4000000",
                "-X", "compression.codec=none");
        assertThat(sent.output()).as("kcat says why (exit %d)", sent.exit()).containsIgnoringCase("too large");
        assertThat(endOffset(topic, 0)).as("nothing was appended").isEqualTo(before);
    }

    private static List<Case> jobCases() {
        String nested = "[".repeat(10_000) + "]".repeat(10_000);
        byte[] badUtf8 = job(1, "{'type':'text','text':{'body':'caf??'}}");
        int question = indexOf(badUtf8, "??");
        badUtf8[question] = (byte) 0xC3;
        badUtf8[question + 1] = (byte) 0x28;
        return List.of(
                new Case("invalid JSON", json("{'v':1,'job_id':"), "k1", null, "invalid_job", "is not valid JSON"),
                new Case("not an object", json("[1,2,3]"), "k2", null, "invalid_job", "must be a JSON object"),
                new Case("wrong types", json("{'v':'1','job_id':42,'campaign_id':true,'channel':7,'to':15,"
                        + "'message':'text'}"), "k3", null, "invalid_job", "unsupported contract version \"1\""),
                new Case("huge string", job(2, "{'type':'text','text':{'body':'" + "x".repeat(300_000) + "'}}"), "k4",
                        null, "invalid_job", "message.text.body: is 300000 characters; the limit is 4096"),
                new Case("deep nesting", job(3, "{'type':'text','text':{'body':'x'},'extra':" + nested + "}"), "k5",
                        null, "invalid_job", "nesting depth"),
                new Case("unknown message type", job(4, "{'type':'hologram'}"), "k6", null, "invalid_job",
                        "message.type"),
                new Case("both id and link", job(5, "{'type':'image','image':{'id':'1',"
                        + "'link':'https://example.com/a.jpg'}}"), "k7", null, "invalid_job", "has both id and link"),
                new Case("above the worker's cap", padded(600_000), "k8", null, "invalid_job",
                        "more than the 524288 a job may have"),
                new Case("invalid UTF-8", badUtf8, "k9", null, "invalid_job", "UTF-8"),
                new Case("missing fields", json("{'v':1}"), "k10", null, "invalid_job", "job_id: is required"),
                new Case("null values", json("{'v':1,'job_id':null,'campaign_id':null,'channel':null,'to':null,"
                        + "'message':null}"), "k11", null, "invalid_job", "campaign_id: is required"),
                new Case("null value", null, "k12", null, "invalid_job", "the record has no value"),
                new Case("null key", json("garbage"), null, null, "invalid_job", "is not valid JSON"),
                new Case("huge number", json("{'v':1" + "0".repeat(5_000) + "}"), "k14", null, "invalid_job",
                        "is not valid JSON"),
                new Case("unknown channel", json("{'v':1,'job_id':'h','campaign_id':'h','channel':'nowhere',"
                        + "'to':'+4915100000000','message':{'type':'text','text':{'body':'x'}}}"), "k15", null,
                        "invalid_job", "unknown channel 'nowhere'"),
                new Case("re-upload request that is not one", json("{}"), "k16",
                        Outputs.KIND + "=" + Outputs.KIND_REUPLOAD, "invalid_reupload", "malformed re-upload request"));
    }

    private static List<Case> readyCases() {
        String nested = "[".repeat(10_000) + "]".repeat(10_000);
        return List.of(
                new Case("invalid JSON", json("{'v':1,"), "r1", null, "invalid_ready_job", "malformed ready job"),
                new Case("null value", null, "r2", null, "invalid_ready_job", "the record has no value"),
                new Case("wrong types", json("{'v':1,'job_id':{},'channel':[],'to':1}"), "r3", null,
                        "invalid_ready_job", "malformed ready job"),
                new Case("missing fields", json("{'v':1,'job_id':'x'}"), null, null, "invalid_ready_job",
                        "lacks v=1, job_id, campaign_id, channel, to or message"),
                new Case("deep nesting", json("{'v':1,'message':{'extra':" + nested + "}}"), "r5", null,
                        "invalid_ready_job", "nesting depth"));
    }

    /** A job, valid but for its message: id {@code hostile-<n>}, message JSON with ' for ". */
    private static byte[] job(int n, String message) {
        return json("{'v':1,'job_id':'hostile-" + n + "','campaign_id':'hostile','channel':'" + DemoStack.D360_CHANNEL
                + "','to':'+4915100000000','message':" + message + "}");
    }

    /** UTF-8 JSON written with ' for " (none of the cases needs a literal '). */
    private static byte[] json(String singleQuoted) {
        return utf8(singleQuoted.replace('\'', '"'));
    }

    /**
     * Publishes each case with kcat to one partition, each followed by a valid one-recipient job on
     * the jobs topic (its neighbour {@code <campaign>-<n>}, to {@code recipients} formatted with n), which on
     * the ready topic arrives through the upload worker in the same partition.
     *
     * @return the offset of each case
     */
    private static Map<Long, Case> publishBetweenNeighbours(String topic, int partition, List<Case> cases,
                                                            String campaign, String recipients) throws Exception {
        for (int n = 0; n < cases.size(); n++) {
            Case c = cases.get(n);
            Kcat.Result sent = kcat(topic, partition, c.value(), c.key(), c.header());
            assertThat(sent.exit()).as("kcat published '%s': %s", c.name(), sent.output()).isZero();
            publishNeighbour(campaign, n, String.format(recipients, n));
        }
        return offsetsOf(topic, partition, cases);
    }

    /** Where each case landed, found by reading the partition back (key and value identify a case). */
    private static Map<Long, Case> offsetsOf(String topic, int partition, List<Case> cases) {
        Map<Long, Case> byOffset = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = reader()) {
            TopicPartition tp = new TopicPartition(topic, partition);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            await("every case in " + tp).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ZERO)
                    .untilAsserted(() -> {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                            cases.stream().filter(c -> Arrays.equals(c.value(), r.value())
                                            && Arrays.equals(c.key() == null ? null : utf8(c.key()), r.key()))
                                    .forEach(c -> byOffset.put(r.offset(), c));
                        }
                        assertThat(byOffset.values()).extracting(Case::name)
                                .containsExactlyInAnyOrderElementsOf(cases.stream().map(Case::name).toList());
                    });
        }
        return byOffset;
    }

    private static void publishNeighbour(String campaign, int n, String recipient) throws Exception {
        ObjectNode job = Jobs.single(campaign + "-" + n, campaign, DemoStack.D360_CHANNEL, recipient,
                Jobs.text("neighbour " + n));
        Kcat.Result sent = kcat(stack.topics().jobs(), 0, Json.bytes(job), "neighbour-" + n, null);
        assertThat(sent.exit()).as("kcat published neighbour %d: %s", n, sent.output()).isZero();
    }

    /** What the pipeline produced: dead letters by source offset, results by job id. */
    private record Outcomes(Map<Long, ConsumerRecord<byte[], byte[]>> deadLetters,
                            Map<String, List<JobResult>> results) {
    }

    private static Outcomes awaitOutcomes(String sourceTopic, Map<Long, Case> cases, String campaign, int neighbours) {
        Map<Long, ConsumerRecord<byte[], byte[]>> deadLetters = new HashMap<>();
        Map<String, List<JobResult>> results = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = reader()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(stack.topics().dlq(), stack.topics().results())) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await("a dead letter and a result for each of the " + cases.size() + " records, and " + neighbours
                    + " neighbours accepted").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ZERO)
                    .failFast("a worker stopped", () -> stack.uploadWorker().failure() != null
                            || stack.senderWorker().failure() != null)
                    .untilAsserted(() -> {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                            if (r.topic().equals(stack.topics().dlq())) {
                                if (sourceTopic.equals(PipelineIT.header(r, Outputs.SOURCE_TOPIC))) {
                                    deadLetters.put(Long.parseLong(PipelineIT.header(r, Outputs.SOURCE_OFFSET)), r);
                                }
                            } else {
                                JobResult result = Json.read(r.value(), JobResult.class);
                                results.computeIfAbsent(result.jobId(), k -> new ArrayList<>()).add(result);
                            }
                        }
                        // Says what is missing when it times out: which dead letters, results or neighbours.
                        assertThat(deadLetters.keySet()).as("source offsets of the dead letters so far")
                                .containsAll(cases.keySet());
                        assertThat(deadLetters.values()).as("dead letters whose result came")
                                .allMatch(d -> results.containsKey(PipelineIT.header(d, Outputs.JOB_ID)));
                        assertThat(neighbourResults(results, campaign)).as("neighbour results so far")
                                .filteredOn(r -> r.outcome() == Outcome.ACCEPTED).hasSizeGreaterThanOrEqualTo(neighbours);
                    });
        }
        return new Outcomes(deadLetters, results);
    }

    private static List<JobResult> neighbourResults(Map<String, List<JobResult>> results, String campaign) {
        return results.entrySet().stream().filter(e -> e.getKey().startsWith(campaign + "-"))
                .flatMap(e -> e.getValue().stream()).toList();
    }

    private static void assertEveryCase(Map<Long, Case> byOffset, Outcomes seen, String stage) {
        byOffset.forEach((offset, c) -> {
            ConsumerRecord<byte[], byte[]> dead = seen.deadLetters().get(offset);
            assertThat(PipelineIT.header(dead, Outputs.ERROR_CODE)).as("'%s': code", c.name()).isEqualTo(c.code());
            assertThat(PipelineIT.header(dead, Outputs.ERROR_REASON)).as("'%s': reason", c.name()).contains(c.reason());
            assertThat(PipelineIT.header(dead, Outputs.ERROR_STAGE)).as("'%s': stage", c.name()).isEqualTo(stage);
            assertThat(dead.value()).as("'%s': the record is kept whole", c.name()).isEqualTo(c.value());
            assertThat(dead.key()).as("'%s': its key", c.name()).isEqualTo(c.key() == null ? null : utf8(c.key()));
            String jobId = PipelineIT.header(dead, Outputs.JOB_ID);
            assertThat(seen.results().get(jobId)).as("'%s': one failed result for %s", c.name(), jobId).singleElement()
                    .satisfies(r -> {
                        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
                        assertThat(r.error().code()).isEqualTo(c.code());
                    });
        });
        assertThat(stack.uploadWorker().failure()).as("the upload worker runs").isNull();
        assertThat(stack.senderWorker().failure()).as("the sender worker runs").isNull();
    }

    private static void assertNeighboursSentOnce(String campaign, int neighbours, Outcomes seen) {
        List<JobResult> results = neighbourResults(seen.results(), campaign);
        assertThat(results).as("one result per neighbour").hasSize(neighbours)
                .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED));
        List<String> sent = stack.sandbox().messages(SandboxConfig.DEMO_D360_NUMBER_ID).stream()
                .map(AcceptedMessage::callback).map(CallbackToken::parse)
                .filter(t -> t != null && t.campaignId().equals(campaign)).map(CallbackToken::jobId).toList();
        assertThat(sent).as("each neighbour accepted once by the API").hasSize(neighbours).doesNotHaveDuplicates();
    }

    private static Kcat.Result kcat(String topic, int partition, byte[] value, String key, String header,
                                    String... options) throws IOException, InterruptedException {
        return kcat.publish(topic, partition, value, key, header, options);
    }

    private static long endOffset(String topic, int partition) {
        try (KafkaConsumer<byte[], byte[]> consumer = reader()) {
            TopicPartition tp = new TopicPartition(topic, partition);
            return consumer.endOffsets(List.of(tp)).get(tp);
        }
    }

    private static KafkaConsumer<byte[], byte[]> reader() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** A job, valid but for its size: {@code bytes} long with a padding field. */
    private static byte[] padded(int bytes) {
        ObjectNode job = Jobs.single("padded", "hostile", DemoStack.D360_CHANNEL, "+4915100000000", Jobs.text("x"));
        int base = Json.bytes(job.put("padding", "")).length;
        return Json.bytes(job.put("padding", "p".repeat(bytes - base)));
    }

    private static int indexOf(byte[] haystack, String needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).indexOf(needle);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
