package io.wabatch.ops.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Gauge;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Outcome;
import io.wabatch.sandbox.api.stats.StatsSnapshot;
import io.wabatch.sender.ReadyJobs;
import io.wabatch.sender.SenderStack;
import io.wabatch.sender.TestChannel;
import io.wabatch.webhook.WebhookReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A number's inbound and outbound messages count against one throughput limit (the sandbox counts them so): a
 * channel at 80 mps with a backlog runs at 0.98 of the limit while no customer writes, and, while 20 customers a
 * second write to it (the sandbox's inbound stream, signed webhooks to a real receiver, {@code wa.inbound}, the
 * sender), at the limit less the inbound rate less the margin, with no 130429 and no second above the limit,
 * sends and customers' messages counted together. The inbound window is scaled down to 2 s; the sender is warmed
 * up first (its JIT is not what this measures).
 */
// Measures rates: runs alone, not beside another test class.
@org.junit.jupiter.api.parallel.Isolated
@Timeout(150)
@Tag("slow")
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class InboundPaceIT {

    private static final Logger FIGURES = LoggerFactory.getLogger("figures");
    private static final String SECRET = "inbound-pace-secret";
    private static final int MPS = 80;
    private static final int INBOUND = 20;
    private static final Duration WINDOW = Duration.ofSeconds(2);
    private static final TestChannel CHANNEL = TestChannel.meta("inbound-80", 0, MPS);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static SenderStack stack;
    private static EventServices services;

    @BeforeAll
    static void start() throws Exception {
        stack = SenderStack.create("inbound-pace", List.of(CHANNEL));
        services = new EventServices(stack);
        WebhookReceiver receiver = services.startReceiver(Map.of("webhook.app.secret", SECRET));
        stack.sandbox.setWebhooks("{\"url\":\"http://127.0.0.1:" + receiver.port() + "/webhook\",\"app_secret\":\""
                + SECRET + "\",\"step\":20,\"read_share\":0}");
        stack.startSender(Map.of("pace.inbound.window.ms", Long.toString(WINDOW.toMillis())));
        stack.warmUp(5);
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.sandbox.stopInboundStreams();
            services.close();
            stack.close();
        }
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void withoutInboundTrafficTheChannelRunsAt98PercentOfItsLimit() {
        await("no inbound traffic in the window").atMost(WAIT).until(() -> gauge("wabatch.sender.pace.inbound") == 0);
        stack.sandbox.reset();
        int count = (int) (MPS * 0.98 * 10);

        StatsSnapshot stats = sendBacklog("quiet", count);

        double mean = steadyMean(stats);
        FIGURES.info("inbound pace, no inbound: {} mps, pace {} (gauge), steady mean {} msg/s = {} of the limit, "
                        + "130429 {}, busiest second {} (sends + inbound), per second {}", MPS,
                gauge("wabatch.sender.pace.current"), String.format("%.1f", mean), String.format("%.3f", mean / MPS),
                rejected(stats), stats.peakCountedPerSecond(), describe(stats));
        assertThat(gauge("wabatch.sender.pace.current")).as("mps × the default headroom").isEqualTo(MPS * 0.98);
        assertThat(stats.rejectedByCode()).as("no 130429 (or any other rejection)").isEmpty();
        assertThat(stats.perSecond()).as("no second above the limit").allSatisfy(
                s -> assertThat(s.counted()).isLessThanOrEqualTo(MPS));
        assertThat(mean).as("steady mean at the pace (as PacingIT: ≥ 0.95 of it); series %s", describe(stats))
                .isGreaterThanOrEqualTo(0.95 * MPS * 0.98);
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void aSteadyInboundStreamLowersThePaceByItsRateAndTheLimitIsNeverPassed() {
        String number = CHANNEL.numberId();
        stack.sandbox.inboundStream(number, INBOUND);
        try {
            // A window and a half of the stream: the sender has seen a full window of it (by time, not by its gauge,
            // so a sender that ignores inbound traffic fails on the API's answers below, not here).
            long since = stack.outputs().inboundRecords().size();
            await("a window and a half of customers' messages in wa.inbound").atMost(WAIT)
                    .until(() -> stack.outputs().inboundRecords().size() - since >= INBOUND * 3);
            stack.sandbox.reset();
            int count = (int) ((MPS * 0.98 - INBOUND) * 12);

            StatsSnapshot stats = sendBacklog("busy", count);

            double mean = steadyMean(stats);
            double expected = MPS * 0.98 - INBOUND;
            FIGURES.info("inbound pace, {} inbound/s: {} mps, pace {} (gauge; expected {}), inbound seen {}/s, steady "
                            + "mean {} msg/s sent + {} inbound/s, 130429 {}, busiest second {} (sends + inbound), "
                            + "sends per second {}, inbound per second {}", INBOUND, MPS,
                    gauge("wabatch.sender.pace.current"), expected, gauge("wabatch.sender.pace.inbound"),
                    String.format("%.1f", mean), String.format("%.1f", steadyInbound(stats)), rejected(stats),
                    stats.peakCountedPerSecond(), describe(stats),
                    stats.perSecond().stream().map(s -> Long.toString(s.inbound())).toList());
            assertThat(stats.rejectedByCode()).as("no 130429 (or any other rejection)").isEmpty();
            assertThat(stats.perSecond()).as("no second above the limit, sends and customers' messages together")
                    .allSatisfy(s -> assertThat(s.counted()).as("second %s", s).isLessThanOrEqualTo(MPS));
            assertThat(steadyInbound(stats)).as("the stream ran throughout").isBetween(INBOUND - 1.0, INBOUND + 1.0);
            assertThat(mean).as("limit × 0.98 less the inbound rate (%s); series %s", expected, describe(stats))
                    .isBetween(0.95 * (expected - 1), expected + 0.5);
        } finally {
            stack.sandbox.inboundStream(number, 0);
        }
    }

    /** Publishes {@code count} texts to the channel, waits until each is accepted, returns the API's record. */
    private static StatsSnapshot sendBacklog(String campaign, int count) {
        stack.publish(ReadyJobs.texts(campaign, CHANNEL.id(), campaign.equals("quiet") ? 1 : 2, count));
        Map<String, JobResult> results = stack.outputs().awaitResults(campaign, count, WAIT);
        assertThat(results.values()).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED));
        StatsSnapshot stats = stack.stats(CHANNEL.id());
        assertThat(stats.accepted()).isEqualTo(count);
        return stats;
    }

    private static double gauge(String name) {
        Gauge gauge = stack.meters.find(name).tag("channel", CHANNEL.id()).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    private static long rejected(StatsSnapshot stats) {
        return stats.rejectedByCode().getOrDefault(130429, 0L);
    }

    /** The mean of sends in the seconds between the first and the last (both partial). */
    private static double steadyMean(StatsSnapshot stats) {
        return middle(stats).stream().mapToLong(StatsSnapshot.Second::accepted).average().orElseThrow();
    }

    private static double steadyInbound(StatsSnapshot stats) {
        return middle(stats).stream().mapToLong(StatsSnapshot.Second::inbound).average().orElseThrow();
    }

    private static List<StatsSnapshot.Second> middle(StatsSnapshot stats) {
        List<StatsSnapshot.Second> seconds = stats.perSecond();
        assertThat(seconds).as("enough seconds for a steady state").hasSizeGreaterThanOrEqualTo(3);
        return seconds.subList(1, seconds.size() - 1);
    }

    private static String describe(StatsSnapshot stats) {
        return stats.perSecond().stream().map(s -> Long.toString(s.accepted())).toList().toString();
    }
}
