package io.wabatch.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Outcome;
import io.wabatch.sandbox.api.Latency;
import io.wabatch.sandbox.api.stats.StatsSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send ledger against real crashes: the sender jar killed with SIGKILL, restarted on the same
 * group, topics and sandbox. Redelivered jobs the ledger shows as sent are suppressed; jobs whose
 * call was in flight at the kill are parked as in doubt, never sent twice.
 */
@Timeout(180)
@Tag("slow")
class LedgerIT {

    private static final Logger FIGURES = LoggerFactory.getLogger("figures");
    private static final TestChannel CHANNEL = TestChannel.d360("ledger", 0, 500);
    private Path dir;

    @BeforeEach
    void directory() throws Exception {
        dir = Files.createTempDirectory("sender-ledger-");
    }

    @AfterEach
    void cleanUp() throws Exception {
        try (Stream<Path> tree = Files.walk(dir)) {
            tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aSenderKilledAfterItsResultsButBeforeItsCommitSuppressesTheRedeliveredJobs() throws Exception {
        int count = 2_000;
        try (SenderStack stack = SenderStack.create("ledger-commit", List.of(CHANNEL))) {
            Map<String, String> config = config(stack);
            stack.publish(ReadyJobs.texts("commit", CHANNEL.id(), 1, count));
            try (ChildSender first = ChildSender.start(dir, "sender-1.log", withCommitInterval(config, 3_600_000))) {
                await("every message sent, its result produced, nothing committed").atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(20)).failFast("the sender died", () -> !first.alive())
                        .until(() -> stack.outputs().jobsWithResult("commit") >= count);
                first.kill();
            }
            try (ChildSender second = ChildSender.start(dir, "sender-2.log", config)) {
                await("every redelivered job has a second result").atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(50)).failFast("the sender died", () -> !second.alive())
                        .until(() -> stack.outputs().resultCount("commit") >= 2 * count);
                Map<String, JobResult> last = stack.outputs().byJob("commit");
                StatsSnapshot stats = stack.stats(CHANNEL.id());
                FIGURES.info("ledger, kill before commit: {} accepted by the API, {} duplicates, last results {}",
                        stats.accepted(), stats.duplicates(), outcomes(last));

                assertThat(last.values()).as("every redelivered job is recognised as sent")
                        .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.DUPLICATE_SUPPRESSED));
                assertThat(stats.accepted()).isEqualTo(count);
                assertThat(stats.duplicates()).as("duplicates (same callback token)").isZero();
                assertThat(stats.duplicateBodies()).as("duplicates (same recipient and body)").isZero();
                assertThat(second.terminate(Duration.ofSeconds(60))).as("log:%n%s", second.log()).isZero();
            }
        }
    }

    @Test
    void aSenderKilledWithCallsInFlightParksThemAsInDoubtAndSendsNothingTwice() throws Exception {
        int count = 3_000;
        try (SenderStack stack = SenderStack.create("ledger-kill", List.of(CHANNEL),
                b -> b.latency(Latency.fixed(Duration.ofMillis(300))))) {
            Map<String, String> config = config(stack);
            stack.publish(ReadyJobs.texts("kill", CHANNEL.id(), 1, count));
            try (ChildSender first = ChildSender.start(dir, "sender-1.log", config)) {
                await("1,000 accepted").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(10))
                        .failFast("the sender died", () -> !first.alive())
                        .until(() -> stack.stats(CHANNEL.id()).accepted() >= 1_000);
                first.kill();
            }
            try (ChildSender second = ChildSender.start(dir, "sender-2.log", config)) {
                await("every message has a result").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                        .failFast("the sender died", () -> !second.alive())
                        .until(() -> stack.outputs().jobsWithResult("kill") >= count);
                Map<String, JobResult> last = stack.outputs().byJob("kill");
                StatsSnapshot stats = stack.stats(CHANNEL.id());
                long parked = last.values().stream().filter(r -> r.outcome() == Outcome.PARKED).count();
                FIGURES.info("ledger, kill with calls in flight: {} accepted by the API, {} duplicates, last results {}",
                        stats.accepted(), stats.duplicates(), outcomes(last));

                assertThat(last).as("lost none").hasSize(count);
                assertThat(last.values()).allSatisfy(r -> assertThat(r.outcome())
                        .isIn(Outcome.ACCEPTED, Outcome.PARKED, Outcome.DUPLICATE_SUPPRESSED));
                assertThat(parked).as("calls in flight at the kill (300 ms each at 475/s)").isPositive();
                assertThat(last.values().stream().filter(r -> r.outcome() == Outcome.PARKED))
                        .allSatisfy(r -> assertThat(r.error().code()).isEqualTo("in_doubt"));
                assertThat(stats.duplicates()).as("duplicates (same callback token)").isZero();
                assertThat(stats.duplicateBodies()).as("duplicates (same recipient and body)").isZero();
                assertThat(stats.accepted()).as("accepted = sent once each, parked ones included if they got through")
                        .isBetween((long) count - parked, (long) count);
                assertThat(second.terminate(Duration.ofSeconds(60))).as("log:%n%s", second.log()).isZero();
            }
        }
    }

    private Map<String, String> config(SenderStack stack) throws Exception {
        Map<String, String> config = new HashMap<>(stack.senderValues(Map.of()));
        config.put("channels.file", stack.registryFile(dir).toString());
        config.put("shutdown.drain.timeout.ms", "10000");
        return config;
    }

    private static Map<String, String> withCommitInterval(Map<String, String> config, long millis) {
        Map<String, String> changed = new HashMap<>(config);
        changed.put("commit.interval.ms", Long.toString(millis));
        return changed;
    }

    private static Map<Outcome, Long> outcomes(Map<String, JobResult> results) {
        return results.values().stream().collect(Collectors.groupingBy(JobResult::outcome, Collectors.counting()));
    }
}
