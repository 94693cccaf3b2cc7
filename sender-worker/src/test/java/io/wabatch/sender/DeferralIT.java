package io.wabatch.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.kafka.DeferTiers;
import io.wabatch.sandbox.api.stats.AcceptedMessage;
import io.wabatch.sender.defer.Deferrals;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Long waits leave the in-flight window (DESIGN §4.6), with time scaled down 60 times: tiers of
 * 1 s and 4 s stand for 1 min and 4 min, a job due in 10 s for one due in 10 minutes.
 */
// Measures rates or time bounds: runs alone, not beside another test class.
@org.junit.jupiter.api.parallel.Isolated
@Timeout(120)
class DeferralIT {

    private static final TestChannel CHANNEL = TestChannel.d360("later", 0, 200);
    private static final DeferTiers TIERS = DeferTiers.parse("1s,4s");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aJobDueInTenScaledMinutesIsDeferredWhileTheWindowMovesOnAndIsSentWhenDue() throws Exception {
        try (SenderStack stack = SenderStack.create("deferral", List.of(CHANNEL), b -> b, TIERS)) {
            stack.startSender(Map.of("window.records", "50"));
            Instant due = Instant.now().plusSeconds(10);
            ReadyJob later = ReadyJobs.notBefore(ReadyJobs.text("later", "later/due", CHANNEL.id(),
                    ReadyJobs.recipient(1, 0)), due);
            List<ReadyJob> jobs = new ArrayList<>();
            jobs.add(later);
            jobs.addAll(ReadyJobs.texts("now", CHANNEL.id(), 2, 400));
            stack.publish(jobs);

            ConsumerRecord<byte[], byte[]> deferral = await("the job in a defer tier").atMost(WAIT)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> stack.outputs().deferredRecords().stream().findFirst().orElse(null), r -> r != null);
            assertThat(deferral.topic()).as("the tier of the longest delay not above 10 s")
                    .isEqualTo(stack.topics.deferred() + ".4s");
            assertThat(SenderOutputs.header(deferral, Deferrals.REASON)).isEqualTo("not_before");
            assertThat(Instant.parse(SenderOutputs.header(deferral, Deferrals.DUE))).isEqualTo(due);
            assertThat(ReadyJob.decode(deferral.value()).jobId()).isEqualTo("later/due");

            Map<String, JobResult> now = stack.outputs().awaitResults("now", 400, WAIT);
            assertThat(now.values()).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED));
            TopicPartition ready = new TopicPartition(stack.topics.ready(), CHANNEL.partition());
            await("the committed offset passes the deferred job").atMost(WAIT).pollInterval(Duration.ofMillis(50))
                    .until(() -> committed(stack, ready) == 401);
            assertThat(Instant.now()).as("all of that happened while the deferred job waited").isBefore(due);
            assertThat(stack.outputs().byJob("later")).as("not sent before it is due").isEmpty();

            JobResult sent = stack.outputs().awaitResult("later", "later/due", WAIT);
            assertThat(sent.outcome()).isEqualTo(Outcome.ACCEPTED);
            assertThat(sent.sentAt()).isAfterOrEqualTo(due);
            List<AcceptedMessage> atApi = stack.sandbox.messages(CHANNEL.numberId()).stream()
                    .filter(m -> m.to().equals(later.to())).toList();
            assertThat(atApi).as("sent once").hasSize(1);
            assertThat(atApi.get(0).receivedAtMs()).as("not before its time").isGreaterThanOrEqualTo(due.toEpochMilli());
            List<ConsumerRecord<byte[], byte[]>> hops = stack.outputs().deferredRecords();
            assertThat(hops).as("every hop is the same job")
                    .allSatisfy(r -> assertThat(ReadyJob.decode(r.value()).jobId()).isEqualTo("later/due"));
            assertThat(hops).as("4 s, 4 s, then 1 s when more than 1 s remained").hasSizeBetween(2, 3);
            assertThat(hops.subList(0, 2)).allSatisfy(r -> assertThat(r.topic()).endsWith(".4s"));
            if (hops.size() == 3) {
                assertThat(hops.get(2).topic()).endsWith(".1s");
            }
            for (int i = 1; i < hops.size(); i++) {
                assertThat(hops.get(i).timestamp() - hops.get(i - 1).timestamp())
                        .as("hop %d left its tier only after the tier's delay", i).isGreaterThanOrEqualTo(4_000);
            }
            assertThat(stack.stats(CHANNEL.id()).duplicates()).isZero();
        }
    }

    @Test
    void aJobThatCouldOnlyBeSentAfterItsNotAfterExpiresAtOnce() throws Exception {
        try (SenderStack stack = SenderStack.create("deferral-expiry", List.of(CHANNEL), b -> b, TIERS)) {
            stack.startSender(Map.of());
            Instant due = Instant.now().plusSeconds(600);
            ReadyJob job = ReadyJobs.notAfter(ReadyJobs.notBefore(ReadyJobs.text("doomed", "doomed/1", CHANNEL.id(),
                    ReadyJobs.recipient(1, 0)), due), due.minusSeconds(60));
            stack.publish(List.of(job));

            JobResult result = stack.outputs().awaitResult("doomed", "doomed/1", WAIT);
            assertThat(result.outcome()).isEqualTo(Outcome.EXPIRED);
            assertThat(result.error().details()).contains("not_after");
            assertThat(stack.outputs().deferredRecords()).isEmpty();
            assertThat(stack.stats(CHANNEL.id()).accepted()).isZero();
        }
    }

    private static long committed(SenderStack stack, TopicPartition partition) throws Exception {
        OffsetAndMetadata offset = io.wabatch.sandbox.kafka.KafkaTestBroker.admin()
                .listConsumerGroupOffsets(stack.groupId).partitionsToOffsetAndMetadata().get().get(partition);
        return offset == null ? -1 : offset.offset();
    }
}
