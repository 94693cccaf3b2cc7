package io.wabatch.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wabatch.common.contract.CampaignFunnel;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.kafka.DeferTiers;
import io.wabatch.common.kafka.TopicNames;
import io.wabatch.ops.campaign.FunnelReader;
import io.wabatch.ops.demo.DemoOptions;
import io.wabatch.ops.demo.DemoStack;
import io.wabatch.ops.demo.ResultsWatcher;
import io.wabatch.sandbox.api.SandboxConfig;
import io.wabatch.sandbox.kafka.KafkaTestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A campaign deadline ({@code wabatch campaign publish --send-before}) against the whole stack (both
 * workers, the webhook receiver, the funnel aggregator, the sandbox), driven by the command line: a
 * paused campaign whose deadline passes sends nothing, before or after its resume, and the funnel and
 * {@code campaign status} count every job as expired. Defer tiers are scaled down (1 s, 4 s), so a paused
 * job checks its campaign every second.
 */
@Timeout(180)
@Tag("slow")
class CampaignDeadlineIT {

    private static final org.slf4j.Logger FIGURES = org.slf4j.LoggerFactory.getLogger("figures");
    private static final int RECIPIENTS = 40;
    private static DemoStack stack;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startStack() throws Exception {
        String prefix = "deadline-" + UUID.randomUUID().toString().substring(0, 8);
        stack = DemoStack.start(new DemoOptions(KafkaTestBroker.bootstrapServers(), 0, 0, 80, 2,
                TopicNames.withPrefix(prefix).withDeferTiers(DeferTiers.parse("1s,4s")), Map.of()));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aPausedCampaignResumedAfterItsDeadlineSendsNothingAndCountsEveryJobAsExpired() throws Exception {
        String campaign = "offer-" + UUID.randomUUID().toString().substring(0, 6);
        Path recipients = csv(campaign);
        Path message = Files.writeString(dir.resolve(campaign + ".json"),
                "{\"type\":\"text\",\"text\":{\"body\":\"Hello {{name}}, the offer ends today\"}}");
        // Due in 8 s, so the pause is read before any message is due; the deadline 7 s later.
        Instant notBefore = Instant.now().plusSeconds(8);
        Instant sendBefore = notBefore.plusSeconds(7);

        assertThat(cli("campaign", "publish", "-b", stack.bootstrap(), "--topic-prefix", prefix(), "--campaign",
                campaign, "--channel", DemoStack.D360_CHANNEL, "--recipients", recipients.toString(), "--message",
                message.toString(), "--not-before", notBefore.toString(), "--send-before", sendBefore.toString()))
                .isZero();
        assertThat(output).contains("deadline: send before " + sendBefore);
        assertThat(cli("campaign", "pause", "-b", stack.bootstrap(), "--topic-prefix", prefix(), campaign,
                "--reason", "legal review")).isZero();

        CampaignFunnel paused = await("every job expired while the campaign was paused").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500)).until(() -> funnel(campaign).orElse(null),
                        f -> f != null && f.expired() == RECIPIENTS);
        assertThat(paused.state()).isEqualTo("paused");
        assertThat(Instant.now()).isAfterOrEqualTo(sendBefore);

        assertThat(cli("campaign", "resume", "-b", stack.bootstrap(), "--topic-prefix", prefix(), campaign)).isZero();
        String number = SandboxConfig.DEMO_D360_NUMBER_ID;
        await("nothing is sent after the resume").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> stack.sandbox().stats(number).accepted() == 0);

        Map<String, JobResult> results;
        try (ResultsWatcher watcher = new ResultsWatcher(stack.bootstrap(), stack.topics().results(), campaign)) {
            watcher.awaitResults(RECIPIENTS, Duration.ofSeconds(30), w -> { });
            results = Map.copyOf(watcher.results());
        }
        assertThat(results).hasSize(RECIPIENTS);
        assertThat(results.values()).allSatisfy(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.EXPIRED);
            assertThat(r.attempts()).isZero();
            assertThat(r.error().details()).isEqualTo("campaign " + campaign + "'s send_before " + sendBefore
                    + " passed while campaign " + campaign + " was paused");
        });
        assertThat(results.values()).allSatisfy(r -> assertThat(r.producedAt()).isAfterOrEqualTo(sendBefore));
        CampaignFunnel resumed = await("the funnel after the resume").atMost(Duration.ofSeconds(30))
                .until(() -> funnel(campaign).orElse(null), f -> f != null && "running".equals(f.state()));
        assertThat(resumed.jobs()).isEqualTo(RECIPIENTS);
        assertThat(resumed.expired()).isEqualTo(RECIPIENTS);
        assertThat(resumed.finished()).isEqualTo(RECIPIENTS);
        assertThat(resumed.accepted()).isZero();
        assertThat(stack.sandbox().stats(number).accepted()).as("the sandbox accepted none").isZero();

        assertThat(cli("campaign", "status", "-b", stack.bootstrap(), "--topic-prefix", prefix(), campaign)).isZero();
        assertThat(output).contains("campaign " + campaign + ": running").containsPattern("expired\\s+" + RECIPIENTS)
                .containsPattern("accepted\\s+0");
        Instant last = results.values().stream().map(JobResult::producedAt).max(Comparator.naturalOrder())
                .orElseThrow();
        FIGURES.info("deadline: {} of {} jobs of a paused campaign expired, the last {} ms after its send_before; "
                        + "sandbox accepted {}; funnel expired {}", results.size(), RECIPIENTS,
                Duration.between(sendBefore, last).toMillis(), stack.sandbox().stats(number).accepted(),
                resumed.expired());
    }

    @Test
    void aDeadlineThatHasPassedOrComesBeforeNotBeforeIsRefusedAtPublish() throws Exception {
        String campaign = "late-" + UUID.randomUUID().toString().substring(0, 6);
        Path recipients = csv(campaign);
        Path message = Files.writeString(dir.resolve(campaign + ".json"), "{\"type\":\"text\",\"text\":{\"body\":\"Hi\"}}");
        Instant past = Instant.now().minusSeconds(60);

        assertThat(cli("campaign", "publish", "-b", stack.bootstrap(), "--topic-prefix", prefix(), "--campaign",
                campaign, "--channel", DemoStack.D360_CHANNEL, "--recipients", recipients.toString(), "--message",
                message.toString(), "--send-before", past.toString())).isEqualTo(2);
        assertThat(errors).contains("--send-before " + past + " has passed");
        Instant soon = Instant.now().plusSeconds(3600);
        assertThat(cli("campaign", "publish", "-b", stack.bootstrap(), "--topic-prefix", prefix(), "--campaign",
                campaign, "--channel", DemoStack.D360_CHANNEL, "--recipients", recipients.toString(), "--message",
                message.toString(), "--send-before", soon.toString(), "--not-before", soon.toString())).isEqualTo(2);
        assertThat(errors).contains("must be earlier than --send-before");
        assertThat(funnel(campaign)).as("nothing published").isEmpty();
    }

    private static Path csv(String campaign) throws Exception {
        StringBuilder csv = new StringBuilder("phone,name\n");
        for (int i = 0; i < RECIPIENTS; i++) {
            csv.append("+49 1525 ").append(String.format("%07d", i)).append(",Customer ").append(i).append('\n');
        }
        return Files.writeString(dir.resolve(campaign + ".csv"), csv);
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
