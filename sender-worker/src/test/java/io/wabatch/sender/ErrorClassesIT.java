package io.wabatch.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.kafka.Outputs;
import io.wabatch.sandbox.api.Faults;
import io.wabatch.sandbox.api.stats.StatsSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each class of API failure end to end, one stack (topics, sandbox, sender) per test: transient
 * faults retried or parked by policy, permanent rejections dead-lettered, expired media ids sent
 * back for re-upload.
 */
@Timeout(120)
@Tag("slow")
class ErrorClassesIT {

    private static final TestChannel CHANNEL = TestChannel.d360("errors", 0, 200);
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** 10 % HTTP 500 and 10 % never answered, before the sandbox records anything. */
    private static final Faults FAULTS = Faults.beforeAccept(0.10, 0.10, 0).withMaxHold(Duration.ofSeconds(10));
    /** Short enough that held requests time out quickly; long enough that a loaded machine never times out a real answer. */
    private static final String REQUEST_TIMEOUT_MS = "1000";

    @Test
    void injectedServerErrorsAndTimeoutsAreResentUntilAcceptedWhenResendIsConfigured() throws Exception {
        int count = 300;
        try (SenderStack stack = SenderStack.create("faults-resend", List.of(CHANNEL), b -> b.faults(FAULTS))) {
            stack.startSender(Map.of("send.in.doubt", "resend", "http.request.timeout.ms", REQUEST_TIMEOUT_MS,
                    "send.max.attempts", "10"));
            stack.publish(ReadyJobs.texts("resend", CHANNEL.id(), 1, count));

            Map<String, JobResult> results = stack.outputs().awaitResults("resend", count, WAIT);
            StatsSnapshot stats = stack.stats(CHANNEL.id());

            assertThat(results.values()).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED));
            assertThat(stack.outputs().resultCount("resend")).as("one result per message").isEqualTo(count);
            assertThat(stats.faults("http500")).as("injected 500s").isPositive();
            assertThat(stats.faults("timeout")).as("injected timeouts").isPositive();
            assertThat(results.values().stream().mapToInt(JobResult::attempts).sum())
                    .as("every attempt beyond the first answered a fault")
                    .isEqualTo(count + stats.faults("http500") + stats.faults("timeout"));
            assertThat(stats.accepted()).isEqualTo(count);
            assertThat(stats.duplicates()).as("duplicates (same token)").isZero();
            assertThat(stats.duplicateBodies()).as("duplicates (same body)").isZero();
            assertThat(stats.rejectedByCode()).isEmpty();
            assertThat(stack.outputs().deadLetters()).isEmpty();
        }
    }

    @Test
    void injectedServerErrorsAndTimeoutsAreParkedNotResentByDefault() throws Exception {
        int count = 300;
        try (SenderStack stack = SenderStack.create("faults-park", List.of(CHANNEL), b -> b.faults(FAULTS))) {
            stack.startSender(Map.of("http.request.timeout.ms", REQUEST_TIMEOUT_MS));
            stack.publish(ReadyJobs.texts("park", CHANNEL.id(), 1, count));

            Map<String, JobResult> results = stack.outputs().awaitResults("park", count, WAIT);
            StatsSnapshot stats = stack.stats(CHANNEL.id());
            Set<String> parked = results.values().stream().filter(r -> r.outcome() == Outcome.PARKED)
                    .map(JobResult::jobId).collect(Collectors.toSet());
            long accepted = results.values().stream().filter(r -> r.outcome() == Outcome.ACCEPTED).count();

            assertThat(results.values()).as("every message ends accepted or parked, none lost")
                    .allSatisfy(r -> assertThat(r.outcome()).isIn(Outcome.ACCEPTED, Outcome.PARKED));
            assertThat(parked).as("one parked message per injected fault")
                    .hasSize((int) (stats.faults("http500") + stats.faults("timeout"))).isNotEmpty();
            assertThat(results.values().stream().filter(r -> r.outcome() == Outcome.PARKED))
                    .allSatisfy(r -> {
                        assertThat(r.error().code()).isEqualTo("in_doubt");
                        assertThat(r.attempts()).isEqualTo(1);
                    });
            assertThat(stats.accepted()).isEqualTo(accepted);
            assertThat(stats.duplicates()).isZero();
            awaitUntil("a dead letter per parked message", () -> stack.outputs().deadLetters().size() >= parked.size());
            List<ConsumerRecord<byte[], byte[]>> deadLetters = stack.outputs().deadLetters();
            assertThat(deadLetters).hasSize(parked.size()).allSatisfy(d -> {
                assertThat(SenderOutputs.header(d, Outputs.ERROR_CODE)).isEqualTo("in_doubt");
                assertThat(SenderOutputs.header(d, Outputs.ERROR_STAGE)).isEqualTo("send");
            });
            assertThat(deadLetters.stream().map(d -> SenderOutputs.header(d, Outputs.JOB_ID)))
                    .containsExactlyInAnyOrderElementsOf(parked);
        }
    }

    @Test
    void permanentRejectionsEndInTheDlqWithAFailedResultAndTheWorkerKeepsSending() throws Exception {
        try (SenderStack stack = SenderStack.create("permanent", List.of(CHANNEL))) {
            stack.startSender(Map.of());
            List<ReadyJob> jobs = new ArrayList<>();
            jobs.add(ReadyJobs.unsupportedType("permanent", "permanent/pigeon", CHANNEL.id(), ReadyJobs.recipient(1, 1)));
            jobs.add(ReadyJobs.text("permanent", "permanent/short-number", CHANNEL.id(), "123"));
            jobs.addAll(ReadyJobs.texts("permanent-ok", CHANNEL.id(), 2, 5));
            stack.publish(jobs);

            JobResult pigeon = stack.outputs().awaitResult("permanent", "permanent/pigeon", WAIT);
            JobResult shortNumber = stack.outputs().awaitResult("permanent", "permanent/short-number", WAIT);
            assertThat(pigeon.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(pigeon.error().code()).isEqualTo("131051");
            assertThat(pigeon.error().httpStatus()).isEqualTo(400);
            assertThat(pigeon.attempts()).as("a permanent error is not retried").isEqualTo(1);
            assertThat(shortNumber.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(shortNumber.error().code()).isEqualTo("131009");
            assertThat(shortNumber.attempts()).isEqualTo(1);

            awaitUntil("two dead letters", () -> stack.outputs().deadLetters().size() >= 2);
            ConsumerRecord<byte[], byte[]> dead = stack.outputs().deadLettersWhere(Outputs.JOB_ID, "permanent/pigeon")
                    .get(0);
            assertThat(SenderOutputs.header(dead, Outputs.ERROR_CODE)).isEqualTo("131051");
            assertThat(SenderOutputs.header(dead, Outputs.ERROR_REASON)).contains("PERMANENT");
            assertThat(SenderOutputs.header(dead, Outputs.ERROR_STAGE)).isEqualTo("send");
            assertThat(SenderOutputs.header(dead, Outputs.SOURCE_TOPIC)).isEqualTo(stack.topics.ready());
            assertThat(SenderOutputs.header(dead, Outputs.SOURCE_PARTITION)).isEqualTo("0");
            assertThat(SenderOutputs.header(dead, Outputs.SOURCE_OFFSET)).isEqualTo("0");
            assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo(CHANNEL.id() + "/" + ReadyJobs.recipient(1, 1));
            assertThat(ReadyJob.decode(dead.value()).jobId()).as("the original ready job").isEqualTo("permanent/pigeon");
            assertThat(SenderOutputs.header(stack.outputs().deadLettersWhere(Outputs.JOB_ID, "permanent/short-number")
                    .get(0), Outputs.ERROR_CODE)).isEqualTo("131009");

            assertThat(stack.outputs().awaitResults("permanent-ok", 5, WAIT).values())
                    .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED));
            stack.publish(List.of(ReadyJobs.text("permanent-ok", "permanent-ok/later", CHANNEL.id(),
                    ReadyJobs.recipient(3, 1))));
            assertThat(stack.outputs().awaitResult("permanent-ok", "permanent-ok/later", WAIT).outcome())
                    .as("the worker keeps running").isEqualTo(Outcome.ACCEPTED);
            assertThat(stack.sender().failure()).isNull();
            assertThat(stack.stats(CHANNEL.id()).rejectedByCode()).isEqualTo(Map.of(131051, 1L, 131009, 1L));
        }
    }

    @Test
    void anUnknownMediaIdSendsTheReadyJobBackForReuploadOnce() throws Exception {
        try (SenderStack stack = SenderStack.create("media", List.of(CHANNEL))) {
            stack.startSender(Map.of());
            String to = ReadyJobs.recipient(1, 1);
            String otherTo = ReadyJobs.recipient(1, 2);
            // Never uploaded: the sandbox answers 131053 "Media ID ... is unknown or has expired".
            ReadyJob expired = ReadyJobs.image("media", "media/first", CHANNEL.id(), to, "1234567890123456",
                    "https://cdn.example.com/a.jpg", 1);
            ReadyJob expiredAgain = ReadyJobs.image("media", "media/again", CHANNEL.id(), otherTo, "1234567890123457",
                    "https://cdn.example.com/b.jpg", 2);
            ReadyJob after = ReadyJobs.text("media", "media/after", CHANNEL.id(), to);
            stack.publish(List.of(expired, expiredAgain, after));

            ConsumerRecord<byte[], byte[]> request = stack.outputs().awaitJobRecord("re-upload request",
                    r -> Outputs.KIND_REUPLOAD.equals(SenderOutputs.header(r, Outputs.KIND)), WAIT);
            ReadyJob sentBack = ReadyJob.decode(request.value());
            assertThat(sentBack.jobId()).isEqualTo("media/first");
            assertThat(sentBack.generation()).isEqualTo(1);
            assertThat(sentBack.media()).extracting(m -> m.link()).containsExactly("https://cdn.example.com/a.jpg");
            assertThat(new String(request.key(), StandardCharsets.UTF_8)).isEqualTo(expired.key());

            // The later message to the same recipient waits for the first: once it has a result, so would the first.
            assertThat(stack.outputs().awaitResult("media", "media/after", WAIT).outcome()).isEqualTo(Outcome.ACCEPTED);
            assertThat(stack.outputs().byJob("media")).as("no result yet for the job sent back for re-upload")
                    .doesNotContainKey("media/first");
            JobResult again = stack.outputs().awaitResult("media", "media/again", WAIT);
            assertThat(again.outcome()).as("a re-uploaded id that is unknown again fails rather than loops")
                    .isEqualTo(Outcome.FAILED);
            assertThat(again.error().code()).isEqualTo("131053");
            assertThat(stack.outputs().jobRecords()).hasSize(1);
        }
    }

    private static void awaitUntil(String what, Callable<Boolean> condition) {
        await(what).atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(condition);
    }
}
