package io.wabatch.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Outcome;
import io.wabatch.ops.campaign.TopicScan;
import io.wabatch.ops.cli.WabatchCli;
import io.wabatch.ops.demo.DemoOptions;
import io.wabatch.ops.demo.DemoStack;
import io.wabatch.ops.demo.ResultsWatcher;
import io.wabatch.sandbox.api.Faults;
import io.wabatch.sandbox.api.SandboxConfig;
import io.wabatch.sandbox.api.stats.StatsSnapshot;
import io.wabatch.sandbox.kafka.KafkaTestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wabatch campaign redrive} after faults: it sends again exactly the jobs that failed or were
 * parked and that the API never took, each with the next generation, and nothing the API accepted.
 * One try per message ({@code send.max.attempts=1}), so a fault fails a message at once.
 */
@Timeout(240)
@Tag("slow")
class CampaignRedriveIT {

    private static DemoStack stack;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startStack() throws Exception {
        String prefix = "redrive-" + UUID.randomUUID().toString().substring(0, 8);
        stack = DemoStack.start(DemoOptions.forTest(KafkaTestBroker.bootstrapServers(), prefix,
                Map.of("send.max.attempts", "1")));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @AfterEach
    void noFaults() {
        stack.sandbox().setFaults(Faults.none());
    }

    @Test
    void redriveResendsOnlyTheParkedJobsTheApiNeverTookWithTheNextGenerationEachAcceptedOnce() throws Exception {
        String campaign = "faulty-" + UUID.randomUUID().toString().substring(0, 6);
        stack.sandbox().setFaults(Faults.beforeAccept(0.3, 0, 0));
        publish(campaign, DemoStack.D360_CHANNEL, 100, 0);
        Map<String, JobResult> first = results(campaign, 100);
        // A 500 may come from a server that sent the message: those are parked as in doubt, not resent.
        long failed = first.values().stream().filter(r -> r.outcome() == Outcome.PARKED).count();
        assertThat(failed).as("the 500s parked about 30 %").isBetween(10L, 60L);
        assertThat(first.values().stream().filter(r -> r.outcome() == Outcome.ACCEPTED).count()).isEqualTo(100 - failed);
        stack.sandbox().setFaults(Faults.none());

        assertThat(WabatchCli.execute("campaign", "redrive", "-b", stack.bootstrap(), "--topic-prefix", prefix(),
                campaign)).isZero();
        await("every job accepted").atMost(Duration.ofSeconds(90)).until(() -> latest(campaign).values()
                .stream().filter(r -> r.outcome() == Outcome.ACCEPTED).count() == 100);
        Map<String, JobResult> after = latest(campaign);
        assertThat(after.values().stream().filter(r -> r.generation() == 2).count())
                .as("exactly the parked jobs went again, as generation 2").isEqualTo(failed);
        StatsSnapshot api = stack.sandbox().stats(SandboxConfig.DEMO_D360_NUMBER_ID);
        assertThat(api.accepted()).as("each message accepted once").isEqualTo(100);
        assertThat(api.duplicates()).isZero();
        assertThat(api.duplicateBodies()).isZero();

        assertThat(WabatchCli.execute("campaign", "redrive", "-b", stack.bootstrap(), "--topic-prefix", prefix(),
                campaign)).isZero();
        await("nothing more sent for 3 s").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> stack.sandbox().stats(SandboxConfig.DEMO_D360_NUMBER_ID).accepted() == 100);
        assertThat(stack.sandbox().stats(SandboxConfig.DEMO_D360_NUMBER_ID).accepted())
                .as("a second redrive finds nothing to send").isEqualTo(100);
    }

    @Test
    void parkedJobsWhoseStatusesShowTheApiTookThemAreNeverRedriven() throws Exception {
        String campaign = "lost-" + UUID.randomUUID().toString().substring(0, 6);
        stack.sandbox().setFaults(Faults.afterAccept(0, 0, 0.3));
        publish(campaign, DemoStack.META_CHANNEL, 60, 500);
        Map<String, JobResult> first = results(campaign, 60);
        long parked = first.values().stream().filter(r -> r.outcome() == Outcome.PARKED).count();
        assertThat(parked).as("answers lost after acceptance are parked").isPositive();
        stack.sandbox().setFaults(Faults.none());
        long acceptedByApi = stack.sandbox().stats(SandboxConfig.DEMO_META_NUMBER_ID).accepted();
        assertThat(acceptedByApi).isEqualTo(60);
        // The statuses of the parked messages reach wa.status: they prove the API took them.
        await().atMost(Duration.ofSeconds(30)).until(() -> stack.sandbox().webhooks().path("answered_ok").asLong()
                >= 60 * 2);

        assertThat(WabatchCli.execute("campaign", "redrive", "-b", stack.bootstrap(), "--topic-prefix", prefix(),
                campaign, "--error-code", "in_doubt")).isZero();
        await("nothing sent again for 3 s").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> stack.sandbox().stats(SandboxConfig.DEMO_META_NUMBER_ID).accepted() == 60);
        assertThat(stack.sandbox().stats(SandboxConfig.DEMO_META_NUMBER_ID).accepted())
                .as("nothing the API accepted is sent again").isEqualTo(60);
        assertThat(stack.sandbox().stats(SandboxConfig.DEMO_META_NUMBER_ID).duplicateBodies()).isZero();
    }

    private static void publish(String campaign, String channel, int count, int offset) throws Exception {
        StringBuilder csv = new StringBuilder("phone\n");
        for (int i = 0; i < count; i++) {
            csv.append("+4917").append(String.format("%09d", offset + i)).append('\n');
        }
        Path recipients = Files.writeString(dir.resolve(campaign + ".csv"), csv);
        Path message = Files.writeString(dir.resolve(campaign + ".json"),
                "{\"type\":\"text\",\"text\":{\"body\":\"redrive test " + campaign + "\"}}");
        assertThat(WabatchCli.execute("campaign", "publish", "-b", stack.bootstrap(), "--topic-prefix", prefix(),
                "--campaign", campaign, "--channel", channel, "--recipients", recipients.toString(), "--message",
                message.toString())).isZero();
    }

    private static Map<String, JobResult> results(String campaign, int expected) {
        try (ResultsWatcher watcher = new ResultsWatcher(stack.bootstrap(), stack.topics().results(), campaign)) {
            watcher.awaitResults(expected, Duration.ofSeconds(90), w -> { });
            return new HashMap<>(watcher.results());
        }
    }

    /** Each job's result of its latest generation. */
    private static Map<String, JobResult> latest(String campaign) {
        Map<String, JobResult> latest = new HashMap<>();
        TopicScan.read(stack.bootstrap(), stack.topics().results(), record -> {
            try {
                JobResult result = io.wabatch.common.contract.Json.read(record.value(), JobResult.class);
                if (campaign.equals(result.campaignId())) {
                    latest.merge(result.jobId(), result, (a, b) -> b.generation() >= a.generation() ? b : a);
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        return latest;
    }

    private static String prefix() {
        String jobs = stack.topics().jobs();
        return jobs.substring(0, jobs.length() - ".jobs".length());
    }
}
