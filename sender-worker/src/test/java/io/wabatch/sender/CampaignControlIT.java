package io.wabatch.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.control.CampaignCommand;
import io.wabatch.common.kafka.DeferTiers;
import io.wabatch.sandbox.api.stats.AcceptedMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pause, resume and cancel of one campaign through {@code wa.control}, while another campaign on
 * the same channel goes on; the sandbox's record of accepted requests is the judge. Defer tiers are
 * scaled down (1 s for 1 min).
 */
// Measures rates or time bounds: runs alone, not beside another test class.
@org.junit.jupiter.api.parallel.Isolated
@Timeout(180)
class CampaignControlIT {

    private static final TestChannel CHANNEL = TestChannel.d360("campaigns", 0, 100);
    private static final DeferTiers TIERS = DeferTiers.parse("1s,4s");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aPausedCampaignStopsWithinASecondWhileOthersGoOnAndResumeCompletesIt() throws Exception {
        try (SenderStack stack = SenderStack.create("campaign-pause", List.of(CHANNEL), b -> b, TIERS);
             KafkaProducer<byte[], byte[]> control = producer(stack)) {
            stack.startSender(Map.of());
            List<ReadyJob> jobs = new ArrayList<>(ReadyJobs.texts("paused", CHANNEL.id(), 1, 400));
            jobs.addAll(ReadyJobs.texts("other", CHANNEL.id(), 2, 400));
            stack.publish(jobs);
            await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> accepted(stack, "paused", 0) >= 50);

            RecordMetadata pause = control.send(CampaignCommand.initial().to(CampaignCommand.PAUSED, "test", "operator",
                    Instant.now()).toRecord(stack.topics.control(), "paused")).get(10, TimeUnit.SECONDS);
            long pausedAt = pause.timestamp();
            long otherAtPause = accepted(stack, "other", 0);
            await("no late start of the paused campaign for 3 s").during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(5)).until(() -> accepted(stack, "paused", pausedAt + 1_000) == 0);

            long lateStarts = accepted(stack, "paused", pausedAt + 1_000);
            assertThat(lateStarts).as("requests of the paused campaign starting more than 1 s after the pause")
                    .isZero();
            assertThat(accepted(stack, "other", 0)).as("the other campaign goes on").isGreaterThan(otherAtPause + 100);
            long sentBeforeResume = accepted(stack, "paused", 0);
            assertThat(sentBeforeResume).isLessThan(400);
            assertThat(stack.outputs().deferredRecords()).as("the paused jobs wait in the defer tiers").isNotEmpty();

            control.send(CampaignCommand.initial().to(CampaignCommand.RUNNING, "test", "operator", Instant.now())
                    .toRecord(stack.topics.control(), "paused")).get(10, TimeUnit.SECONDS);
            Map<String, JobResult> results = stack.outputs().awaitResults("paused", 400, WAIT);
            assertThat(results.values()).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED));
            assertThat(stack.outputs().awaitResults("other", 400, WAIT)).hasSize(400);
            assertThat(accepted(stack, "paused", 0)).as("each sent once").isEqualTo(400);
            assertThat(stack.stats(CHANNEL.id()).duplicates()).isZero();
            assertThat(stack.stats(CHANNEL.id()).duplicateBodies()).isZero();
        }
    }

    @Test
    void aCancelledCampaignEndsWithCancelledResultsForEveryUnsentJob() throws Exception {
        try (SenderStack stack = SenderStack.create("campaign-cancel", List.of(CHANNEL), b -> b, TIERS);
             KafkaProducer<byte[], byte[]> control = producer(stack)) {
            stack.startSender(Map.of());
            stack.publish(ReadyJobs.texts("doomed", CHANNEL.id(), 3, 300));
            await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> accepted(stack, "doomed", 0) >= 30);
            control.send(CampaignCommand.initial().to(CampaignCommand.CANCELLED, "wrong audience", "operator",
                    Instant.now()).toRecord(stack.topics.control(), "doomed")).get(10, TimeUnit.SECONDS);

            Map<String, JobResult> results = stack.outputs().awaitResults("doomed", 300, WAIT);
            long accepted = results.values().stream().filter(r -> r.outcome() == Outcome.ACCEPTED).count();
            long cancelled = results.values().stream().filter(r -> r.outcome() == Outcome.CANCELLED).count();
            assertThat(accepted + cancelled).as("every job ends accepted or cancelled").isEqualTo(300);
            assertThat(cancelled).isGreaterThan(100);
            assertThat(accepted).as("the API saw exactly the accepted ones").isEqualTo(accepted(stack, "doomed", 0));
            assertThat(results.values().stream().filter(r -> r.outcome() == Outcome.CANCELLED))
                    .allSatisfy(r -> assertThat(r.error().details()).contains("wrong audience"));
        }
    }

    /** Messages of {@code campaign} the sandbox accepted at or after {@code fromMs}. */
    private static long accepted(SenderStack stack, String campaign, long fromMs) {
        List<AcceptedMessage> messages = stack.sandbox.messages(CHANNEL.numberId());
        return messages.stream().filter(m -> m.callback() != null && m.callback().startsWith("v1|" + campaign + "|")
                && m.receivedAtMs() >= fromMs).count();
    }

    private static KafkaProducer<byte[], byte[]> producer(SenderStack stack) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
