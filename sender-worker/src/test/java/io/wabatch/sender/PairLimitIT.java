package io.wabatch.sender;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabatch.common.contract.CallbackToken;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.sandbox.api.PairLimit;
import io.wabatch.sandbox.api.stats.AcceptedMessage;
import io.wabatch.sandbox.api.stats.StatsSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pair rate limit, scaled from 6 s to 1 s at both the sandbox and the sender: 10 messages to one
 * recipient at the head of the partition, then 3,000 to others, on a 500 mps channel. The one
 * recipient needs at least 9 windows (9 s) while the others need ~6.3 s at the pace: if the
 * recipient's waits held the partition, the others would queue behind them.
 */
// Measures rates or time bounds: runs alone, not beside another test class.
@org.junit.jupiter.api.parallel.Isolated
@Timeout(120)
class PairLimitIT {

    private static final Logger FIGURES = LoggerFactory.getLogger("figures");
    private static final int PAIR_RATE_LIMIT_HIT = 131056;
    private static final Duration WINDOW = Duration.ofSeconds(1);
    private static final TestChannel CHANNEL = TestChannel.d360("pairs", 0, 500);

    @Test
    void oneBusyRecipientWaitsAloneInOrderWithoutHittingThePairLimit() throws Exception {
        try (SenderStack stack = SenderStack.create("pairs", List.of(CHANNEL), b -> b.pairLimit(PairLimit.of(WINDOW, 1)))) {
            stack.startSender(Map.of("pair.window.ms", Long.toString(WINDOW.toMillis()), "pair.burst", "1"));
            stack.warmUp(2);

            String busy = ReadyJobs.recipient(7, 1);
            List<ReadyJob> jobs = new ArrayList<>();
            List<String> busyIds = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                jobs.add(ReadyJobs.text("pairs", "pairs/busy-" + i, CHANNEL.id(), busy));
                busyIds.add("pairs/busy-" + i);
            }
            jobs.addAll(ReadyJobs.texts("pairs", CHANNEL.id(), 1, 3_000));
            stack.publish(jobs);

            Map<String, JobResult> results = stack.outputs().awaitResults("pairs", 3_010, Duration.ofSeconds(60));
            StatsSnapshot stats = stack.stats(CHANNEL.id());
            List<AcceptedMessage> accepted = stack.sandbox.messages(CHANNEL.numberId());
            List<AcceptedMessage> toBusy = accepted.stream().filter(m -> m.to().equals(busy)).toList();
            List<AcceptedMessage> others = accepted.stream().filter(m -> !m.to().equals(busy)).toList();
            long othersFirst = others.stream().mapToLong(AcceptedMessage::receivedAtMs).min().orElseThrow();
            long othersLast = others.stream().mapToLong(AcceptedMessage::receivedAtMs).max().orElseThrow();
            FIGURES.info("pair limit {} ms: busy recipient accepted at +{} ms (from the first other); others took "
                            + "{} ms for 3,000 (ideal {} ms at pace {}); rejections {}", WINDOW.toMillis(),
                    toBusy.stream().map(m -> m.receivedAtMs() - othersFirst).toList(), othersLast - othersFirst,
                    Math.round(3_000 / CHANNEL.pace() * 1000), CHANNEL.pace(), stats.rejectedByCode());

            assertThat(results.values()).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED));
            assertThat(stats.rejectedByCode()).as("no 131056 for the busy recipient (nor anything else)")
                    .doesNotContainKey(PAIR_RATE_LIMIT_HIT).isEmpty();
            assertThat(busyIds.stream().map(id -> results.get(id).attempts()))
                    .as("each busy message went out once").containsOnly(1);
            assertThat(toBusy.stream().map(m -> CallbackToken.parse(m.callback()).jobId()).toList())
                    .as("the busy recipient's messages arrive in order").containsExactlyElementsOf(busyIds);
            assertThat(others).hasSize(3_000);
            assertThat(othersLast).as("all 3,000 others are accepted before the busy recipient's 10th message")
                    .isLessThan(toBusy.get(9).receivedAtMs());
        }
    }
}
