package io.wabatch.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.config.ConfigSources;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.kafka.TopicNames;
import io.wabatch.common.kafka.Topics;
import io.wabatch.sandbox.kafka.KafkaTestBroker;
import io.wabatch.sandbox.origin.MediaOrigin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No secret and no whole phone number leaves wabatch through its logs, its dead letters or its
 * metrics. The sandbox and both workers run from the built jar as an operator runs them, with
 * canary credentials and DEBUG logging of wabatch and everything else (Vert.x's HTTP client
 * included); the campaign sends texts and an image, dead-letters a malformed recipient and hits a
 * revoked credential (401, the channel pauses); a third worker is started with a configuration
 * error whose rejected value is a canary key. Then every log line, dead-letter header and
 * {@code /metrics} line is searched for the canaries and for each recipient's digits.
 */
@Timeout(240)
@Tag("slow")
class SecretScanIT {

    private static final Pattern SANDBOX_URL = Pattern.compile("360dialog base URL (http://\\S+?),");
    private static final Pattern OPS_URL = Pattern.compile("metrics and health on (http://\\S+)");
    private static final Pattern SANDBOX_METRICS = Pattern.compile("metrics: (http://\\S+)");

    private final String d360Key = "canary-d360-" + UUID.randomUUID();
    private final String metaToken = "canary-meta-" + UUID.randomUUID();
    private final String revokedKey = "canary-revoked-" + UUID.randomUUID();
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process process : processes) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void noCanaryKeyAndNoWholeRecipientNumberInLogsDeadLettersOrMetrics() throws Exception {
        // the logs stay in target/secret-scan/ for a look after a run
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "secret-scan").toAbsolutePath()),
                "run-");
        Path sandboxLog = dir.resolve("sandbox.log");
        start(dir, List.of("sandbox", "--port", "0", "--ops-port", "0", "--config", sandboxConfig(dir).toString()),
                debugLogging(), sandboxLog);
        String sandboxUrl = awaitMatch(sandboxLog, SANDBOX_URL);
        String sandboxMetrics = awaitMatch(sandboxLog, SANDBOX_METRICS);

        String prefix = "scan-" + UUID.randomUUID().toString().substring(0, 8);
        TopicNames topics = TopicNames.withPrefix(prefix);
        Topics.create(KafkaTestBroker.admin(), topics.specs(3), (short) 1);
        Map<String, String> env = workerEnvironment(dir, topics, sandboxUrl);
        Path uploadLog = dir.resolve("upload-worker.log");
        Path senderLog = dir.resolve("sender-worker.log");
        start(dir, List.of("upload-worker"), with(env, "WABATCH_GROUP_ID", prefix + "-upload"), uploadLog);
        start(dir, List.of("sender-worker"), with(env, "WABATCH_GROUP_ID", prefix + "-send"), senderLog);
        String uploadMetrics = awaitMatch(uploadLog, OPS_URL) + "metrics";
        String senderMetrics = awaitMatch(senderLog, OPS_URL) + "metrics";

        List<String> recipients = new ArrayList<>();
        try (MediaOrigin origin = MediaOrigin.start()) {
            publish(topics, recipients, origin);
            awaitAccepted(topics, 8);
            await("the revoked channel paused").atMost(Duration.ofSeconds(60)).until(() -> get(senderMetrics)
                    .contains("wabatch_sender_channel_state{channel=\"revoked\",state=\"paused\"} 1.0"));
        }
        Path misconfiguredLog = dir.resolve("misconfigured-worker.log");
        Process misconfigured = start(dir, List.of("sender-worker"),
                with(env, ConfigSources.variableOf("send.max.attempts"), d360Key), misconfiguredLog);
        assertThat(misconfigured.waitFor(60, TimeUnit.SECONDS)).as("a configuration error ends the process").isTrue();
        assertThat(misconfigured.exitValue()).isEqualTo(2);

        Map<String, String> haystacks = new LinkedHashMap<>();
        haystacks.put("metrics of the upload worker", get(uploadMetrics));
        haystacks.put("metrics of the sender worker", get(senderMetrics));
        haystacks.put("metrics of the sandbox", get(sandboxMetrics));
        stop();
        for (Path log : List.of(sandboxLog, uploadLog, senderLog, misconfiguredLog)) {
            haystacks.put(log.getFileName().toString(), Files.readString(log));
        }
        haystacks.put("dead-letter headers", deadLetterHeaders(topics));

        assertMeaningful(haystacks);
        Map<String, String> needles = new LinkedHashMap<>();
        needles.put("the 360dialog key", d360Key);
        needles.put("the Meta token", metaToken);
        needles.put("the revoked key", revokedKey);
        recipients.forEach(r -> {
            needles.put("recipient " + r, r);
            needles.put("recipient " + r + " (digits)", r.replaceAll("\\D", ""));
        });
        List<String> found = new ArrayList<>();
        haystacks.forEach((where, text) -> needles.forEach((what, needle) -> {
            int at = text.indexOf(needle);
            if (at >= 0) {
                found.add(what + " in " + where + ": ..." + text.substring(Math.max(0, at - 120),
                        Math.min(text.length(), at + needle.length() + 40)) + "...");
            }
        }));
        assertThat(found).as("secrets or whole phone numbers that leaked").isEmpty();
    }

    /** The scan only means something if the runs did what they were meant to. */
    private static void assertMeaningful(Map<String, String> haystacks) {
        assertThat(haystacks.get("sender-worker.log")).as("DEBUG lines of the HTTP client")
                .containsPattern("DEBUG .* i\\.v\\.")
                .contains("channel revoked paused");
        assertThat(haystacks.get("upload-worker.log")).contains("DEBUG");
        assertThat(haystacks.get("misconfigured-worker.log")).contains("invalid value for send.max.attempts");
        assertThat(haystacks.get("dead-letter headers")).contains("invalid_recipient");
        haystacks.forEach((where, text) -> assertThat(text).as(where).isNotBlank());
    }

    private void publish(TopicNames topics, List<String> recipients, MediaOrigin origin) {
        List<ObjectNode> jobs = new ArrayList<>();
        ObjectNode texts = Jobs.batch("scan-texts", "scan", "d360", 4, 112_340_001, Jobs.text("Hello {{name}}"));
        ((ArrayNode) texts.get("recipients")).add("+49 151 12");
        jobs.add(texts);
        jobs.add(Jobs.batch("scan-image", "scan", "meta", 4, 112_340_011,
                Jobs.image(origin.url("/media/sample.jpg"), "Hi {{name}}")));
        jobs.add(Jobs.batch("scan-revoked", "scan", "revoked", 2, 112_340_021, Jobs.text("never sent")));
        for (ObjectNode job : jobs) {
            job.withArray("recipients").forEach(r -> recipients.add(r.isTextual() ? r.asText() : r.path("to").asText()));
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            jobs.forEach(job -> producer.send(new ProducerRecord<>(topics.jobs(), Json.bytes(job))));
        }
    }

    private static void awaitAccepted(TopicNames topics, int count) {
        Map<String, JobResult> results = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = reader()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.results()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await("texts and images accepted").atMost(Duration.ofSeconds(90)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    JobResult result = Json.read(r.value(), JobResult.class);
                    results.put(result.jobId(), result);
                }
                return results.values().stream().filter(r -> r.outcome() == Outcome.ACCEPTED).count() >= count;
            });
        }
    }

    private static String deadLetterHeaders(TopicNames topics) {
        StringBuilder headers = new StringBuilder();
        try (KafkaConsumer<byte[], byte[]> consumer = reader()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.dlq()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            await("the dead letters read").atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    for (Header header : r.headers()) {
                        headers.append(header.key()).append('=')
                                .append(new String(header.value(), StandardCharsets.UTF_8)).append('\n');
                    }
                }
                return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
            });
        }
        return headers.toString();
    }

    private Path sandboxConfig(Path dir) throws IOException {
        return Files.writeString(dir.resolve("sandbox.json"), """
                {"latency": {"fixed": 5}, "numbers": [
                  {"id": "360000000000077", "display_phone": "+49 30 5550077", "api_key": "%s", "mps": 80},
                  {"id": "106540352240077", "display_phone": "+1 555 078 0077", "access_token": "%s", "mps": 80}
                ]}""".formatted(d360Key, metaToken));
    }

    private Map<String, String> workerEnvironment(Path dir, TopicNames topics, String sandboxUrl) throws IOException {
        Path registry = Files.writeString(dir.resolve("channels.yaml"), """
                channels:
                  - {id: d360, provider: 360dialog, base_url: "%1$s", credential: "env:SCAN_D360_KEY", partition: 0}
                  - {id: meta, provider: meta, base_url: "%1$s", phone_number_id: "106540352240077", api_version: v23.0,
                     credential: "env:SCAN_META_TOKEN", partition: 1}
                  - {id: revoked, provider: 360dialog, base_url: "%1$s", credential: "env:SCAN_REVOKED_KEY", partition: 2}
                """.formatted(sandboxUrl));
        Map<String, String> env = new HashMap<>(debugLogging());
        topics.asConfig().forEach((key, value) -> env.put(ConfigSources.variableOf(key), value));
        env.put("WABATCH_BOOTSTRAP_SERVERS", KafkaTestBroker.bootstrapServers());
        env.put("WABATCH_CHANNELS_FILE", registry.toString());
        env.put("WABATCH_OPS_PORT", "0");
        env.put("WABATCH_OPS_HOST", "127.0.0.1");
        env.put("WABATCH_MEDIA_ALLOW", "127.0.0.0/8");
        env.put("WABATCH_POLICY_WINDOW_ENFORCE", "false");
        env.put("WABATCH_SPOOL_DIR", dir.resolve("spool").toString());
        env.put("SCAN_D360_KEY", d360Key);
        env.put("SCAN_META_TOKEN", metaToken);
        env.put("SCAN_REVOKED_KEY", revokedKey);
        return env;
    }

    private static Map<String, String> debugLogging() {
        return Map.of(ConfigSources.LOG_LEVEL_ENV, "DEBUG", ConfigSources.LOG_ROOT_LEVEL_ENV, "DEBUG");
    }

    private static Map<String, String> with(Map<String, String> env, String variable, String value) {
        Map<String, String> changed = new HashMap<>(env);
        changed.put(variable, value);
        return changed;
    }

    private Process start(Path dir, List<String> args, Map<String, String> env, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(DemoIT.javaBinary(), "-XX:TieredStopAtLevel=1", "-jar",
                DemoIT.jar().toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("WABATCH_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private static String awaitMatch(Path log, Pattern pattern) {
        String[] match = new String[1];
        await("'" + pattern + "' in " + log.getFileName()).atMost(Duration.ofSeconds(60)).until(() -> {
            Matcher m = pattern.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (m.find()) {
                match[0] = m.group(1);
            }
            return match[0] != null;
        });
        return match[0];
    }

    private String get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static KafkaConsumer<byte[], byte[]> reader() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
