package io.wabatch.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Gauge;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Outcome;
import io.wabatch.sandbox.api.stats.StatsSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A number whose real limit (50 mps) is below the configured one (80 mps, paced at 78.4): the sender
 * lowers its pace on 130429, converges, and delivers everything. The pace constants are the defaults
 * (×0.7 per 130429, 1 s hold-off, +5 % per second of recovery): they are in real time, as is the
 * convergence bound.
 */
// Measures rates or time bounds: runs alone, not beside another test class.
@org.junit.jupiter.api.parallel.Isolated
@Timeout(120)
@Tag("slow")
class AdaptivePaceIT {

    private static final Logger FIGURES = LoggerFactory.getLogger("figures");
    private static final int RATE_LIMIT_HIT = 130429;
    private static final TestChannel CHANNEL = TestChannel.d360("adaptive", 0, 80).withApiMps(50);

    /** When the sandbox's 130429 count was seen to grow, sampled every 100 ms. */
    private record Hit(long atMillis, long total) {
    }

    @Test
    void senderConvergesBelowALowerApiLimitAndDeliversEverything() throws Exception {
        int count = 800;
        try (SenderStack stack = SenderStack.create("adaptive", List.of(CHANNEL))) {
            stack.publish(ReadyJobs.texts("adaptive", CHANNEL.id(), 1, count));
            long started = System.currentTimeMillis();
            stack.startSender(Map.of());

            List<Hit> hits = new ArrayList<>();
            await("every message has a result").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        long total = stack.stats(CHANNEL.id()).rejectedByCode().getOrDefault(RATE_LIMIT_HIT, 0L);
                        if (total > (hits.isEmpty() ? 0 : hits.get(hits.size() - 1).total())) {
                            hits.add(new Hit(System.currentTimeMillis(), total));
                        }
                        return stack.outputs().jobsWithResult("adaptive") >= count;
                    });
            Map<String, JobResult> results = stack.outputs().byJob("adaptive");
            StatsSnapshot stats = stack.stats(CHANNEL.id());

            assertThat(hits).as("the sandbox answered 130429 at all").isNotEmpty();
            long firstHit = hits.get(0).atMillis();
            long lastHit = hits.get(hits.size() - 1).atMillis();
            FIGURES.info("adaptive pace: API limit {} mps, configured pace {}; 130429 answers {} between +{} ms and "
                            + "+{} ms (span {} ms; growth seen at +{} ms); pace now {}; per second {}",
                    CHANNEL.apiMps(), CHANNEL.pace(), stats.rejectedByCode().get(RATE_LIMIT_HIT), firstHit - started,
                    lastHit - started, lastHit - firstHit, hits.stream().map(h -> h.atMillis() - started).toList(),
                    currentPace(stack), PerSecond.describe(stats));
            assertThat(results.values()).as("every message ends accepted")
                    .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED));
            assertThat(stats.accepted()).isEqualTo(count);
            assertThat(stats.duplicates()).isZero();
            assertThat(stats.perSecond()).allSatisfy(s -> assertThat(s.accepted()).isLessThanOrEqualTo(CHANNEL.apiMps()));
            assertThat(lastHit - firstHit).as("130429 answers stop within 10 s of the first; seen at %s ms after start",
                    hits.stream().map(h -> h.atMillis() - started).toList()).isLessThanOrEqualTo(10_000);
        }
    }

    private static double currentPace(SenderStack stack) {
        Gauge gauge = stack.meters.find("wabatch.sender.pace.current").tag("channel", CHANNEL.id()).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }
}
