package io.wabatch.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.common.contract.CampaignFunnel;
import io.wabatch.common.contract.JobValidation;
import io.wabatch.common.contract.JobValidator;
import io.wabatch.ops.campaign.FunnelReader;
import io.wabatch.common.kafka.TopicNames;
import io.wabatch.common.kafka.Topics;
import io.wabatch.ops.demo.DemoOptions;
import io.wabatch.ops.demo.DemoStack;
import io.wabatch.sandbox.api.SandboxConfig;
import io.wabatch.sandbox.kafka.KafkaTestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wabatch campaign publish} and {@code status} against the whole stack (both workers, the
 * webhook receiver, the funnel aggregator, the sandbox posting signed status webhooks), and a
 * 100,000-row publish on topics no worker reads.
 */
@Timeout(240)
class CampaignPublishIT {

    private static final org.slf4j.Logger FIGURES = org.slf4j.LoggerFactory.getLogger("figures");
    private static DemoStack stack;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startStack() throws Exception {
        String prefix = "publish-" + UUID.randomUUID().toString().substring(0, 8);
        stack = DemoStack.start(DemoOptions.forTest(KafkaTestBroker.bootstrapServers(), prefix, Map.of()));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aPublishedCsvCampaignIsSentAndItsFunnelMatchesTheSandboxsGroundTruth() throws Exception {
        String campaign = "csv-" + UUID.randomUUID().toString().substring(0, 6);
        StringBuilder csv = new StringBuilder("phone,name\n");
        for (int i = 0; i < 120; i++) {
            csv.append("+49 1523 ").append(String.format("%07d", i)).append(",Customer ").append(i).append('\n');
        }
        Path recipients = Files.writeString(dir.resolve(campaign + ".csv"), csv);
        Path message = Files.writeString(dir.resolve(campaign + ".json"), "{\"type\":\"image\",\"image\":{\"link\":\""
                + stack.origin().url("/media/sample.jpg") + "\",\"caption\":\"Hello {{name}}\"}}");

        assertThat(cli("campaign", "publish", "-b", stack.bootstrap(), "--topic-prefix", prefix(), "--campaign", campaign,
                "--channel", DemoStack.D360_CHANNEL, "--recipients", recipients.toString(), "--message",
                message.toString(), "--batch", "50")).isZero();
        assertThat(output).contains("120 recipients").contains("3 jobs");
        assertThat(cli("campaign", "publish", "-b", stack.bootstrap(), "--topic-prefix", prefix(), "--campaign", campaign,
                "--channel", DemoStack.D360_CHANNEL, "--recipients", recipients.toString(), "--message",
                message.toString())).as("the same campaign twice").isEqualTo(2);
        assertThat(errors).contains("already published");

        String number = SandboxConfig.DEMO_D360_NUMBER_ID;
        CampaignFunnel funnel = await("every status in the funnel").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500)).until(() -> funnel(campaign).orElse(null), f -> {
                    if (f == null || f.accepted() < 120) {
                        return false;
                    }
                    JsonNode truth = stack.sandbox().webhooks().path("numbers").path(number);
                    return f.delivered() == truth.path("delivered").asLong() && f.failed() == truth.path("failed").asLong()
                            && f.read() == truth.path("read").asLong() && f.sent() == 120;
                });
        assertThat(funnel.published()).isEqualTo(120);
        assertThat(funnel.uploaded()).isEqualTo(120);
        assertThat(funnel.finished()).isEqualTo(120);
        assertThat(stack.sandbox().stats(number).duplicates()).isZero();

        assertThat(cli("campaign", "status", "-b", stack.bootstrap(), "--topic-prefix", prefix(), campaign)).isZero();
        assertThat(output).contains("campaign " + campaign + ": running").containsPattern("published\\s+120")
                .containsPattern("accepted\\s+120").containsPattern("delivered\\s+" + funnel.delivered());
    }

    @Test
    void aHundredThousandRowCsvIsPublishedAtOnceAndAMalformedRowPublishesNothing() throws Exception {
        TopicNames topics = TopicNames.withPrefix("bulk-" + UUID.randomUUID().toString().substring(0, 8));
        Topics.create(KafkaTestBroker.admin(), topics.specs(2), (short) 1);
        String prefix = topics.jobs().substring(0, topics.jobs().length() - ".jobs".length());
        StringBuilder csv = new StringBuilder("phone,first_name,code\n");
        for (int i = 0; i < 100_000; i++) {
            csv.append("+4917").append(String.format("%09d", i)).append(",Name").append(i).append(",C").append(i)
                    .append('\n');
        }
        Path good = Files.writeString(dir.resolve("bulk.csv"), csv);
        Path message = Files.writeString(dir.resolve("bulk.json"),
                "{\"type\":\"text\",\"text\":{\"body\":\"Hi {{first_name}}, your code is {{code}}\"}}");
        String[] lines = csv.toString().split("\n");
        lines[57_001] = "call me maybe,Broken,C0";
        Path bad = Files.writeString(dir.resolve("bad.csv"), String.join("\n", lines) + "\n");

        assertThat(cli("campaign", "publish", "-b", KafkaTestBroker.bootstrapServers(), "--topic-prefix", prefix,
                "--campaign", "bulk-bad", "--channel", "acme", "--recipients", bad.toString(), "--message",
                message.toString())).isEqualTo(2);
        assertThat(errors).contains("line 57002: ").contains("nothing was published");
        assertThat(records(topics.jobs())).as("nothing published").isEmpty();

        long started = System.nanoTime();
        assertThat(cli("campaign", "publish", "-b", KafkaTestBroker.bootstrapServers(), "--topic-prefix", prefix,
                "--campaign", "bulk", "--channel", "acme", "--recipients", good.toString(), "--message",
                message.toString())).isZero();
        FIGURES.info("published 100,000 rows in {} ms", (System.nanoTime() - started) / 1_000_000);
        List<byte[]> jobs = records(topics.jobs());
        assertThat(jobs).hasSize(100);
        JobValidator validator = new JobValidator(Set.of("acme"));
        long recipients = 0;
        for (byte[] job : jobs) {
            JobValidation validation = validator.validate(job);
            assertThat(validation).isInstanceOf(JobValidation.Valid.class);
            recipients += ((JobValidation.Valid) validation).job().recipients().size();
        }
        assertThat(recipients).isEqualTo(100_000);
    }

    private static String prefix() {
        String jobs = stack.topics().jobs();
        return jobs.substring(0, jobs.length() - ".jobs".length());
    }

    private static Optional<CampaignFunnel> funnel(String campaign) throws Exception {
        try (FunnelReader reader = new FunnelReader(Map.of("bootstrap.servers", stack.bootstrap()),
                stack.topics().funnel())) {
            return reader.latest(campaign);
        }
    }

    private static List<byte[]> records(String topic) {
        List<byte[]> values = new java.util.ArrayList<>();
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", KafkaTestBroker.bootstrapServers());
        props.put("isolation.level", "read_committed");
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(props,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
        }
        return values;
    }

    private static String output = "";
    private static String errors = "";

    /** Runs the command line in-process, capturing what it prints. */
    private static int cli(String... args) {
        InProcessCli.Run run = InProcessCli.run(args);
        output = run.output();
        errors = run.errors();
        return run.exit();
    }
}
