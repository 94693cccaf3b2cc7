package io.wabatch.ops.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.sandbox.api.Latency;
import io.wabatch.sandbox.api.SandboxServer;
import io.wabatch.sandbox.api.stats.StatsSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pacing accuracy: channels at 80 and 1,000 mps, each with a backlog of {@code duration} seconds at
 * its pace, the sandbox answering after 50–300 ms. Per channel: the mean of the sandbox's full
 * seconds against the pace ({@code mps × headroom}), the busiest second against the limit, and the
 * 130429 answers. A warm-up of the same shape runs first and is not counted.
 *
 * <p>With {@code --inbound SHARE}, customers write to each number that share of its limit a second (the sandbox's
 * inbound stream, signed webhooks to a webhook receiver in its own JVM, {@code wa.inbound}) from before the warm-up
 * until the end, and statuses are posted too: the pace is then {@code mps × headroom} less the inbound rate, and
 * the busiest second counts sends and customers' messages together, as the API's limit does.
 */
final class PacingScenario implements Scenario {

    private static final Logger LOG = LoggerFactory.getLogger("io.wabatch.bench");
    private static final int BATCH = 100;
    /** How long customers write before the measured phase: the sender's default inbound window and a second. */
    private static final Duration INBOUND_SETTLE = Duration.ofSeconds(11);

    @Override
    public String name() {
        return "pacing";
    }

    @Override
    public BenchReport run(BenchEnv env, BenchOptions options) throws Exception {
        List<BenchChannel> channels = List.of(new BenchChannel("pace-80", 0, 80), new BenchChannel("pace-1000", 1, 1_000));
        BenchReport report = new BenchReport(name(), options.durationSeconds());
        report.features().put("ledger", true).put("sandbox_latency_ms", "50-300")
                .put("inbound_share", options.inboundShare());
        Map<String, Integer> inbound = new java.util.HashMap<>();
        channels.forEach(c -> inbound.put(c.id(), (int) Math.round(c.mps() * options.inboundShare())));
        try (SandboxServer sandbox = Figures.sandbox(channels,
                Latency.uniform(Duration.ofMillis(50), Duration.ofMillis(300)));
             Pipeline pipeline = Pipeline.create(env, "pacing", channels, sandbox.baseUrl(), 2);
             JobFeed feed = new JobFeed(env.bootstrap(), pipeline.topics().jobs());
             ResultTap results = new ResultTap(env.bootstrap(), pipeline.topics().results(), r -> true)) {
            if (options.inboundShare() > 0) {
                WebhooksScenario.startReceiver(pipeline, sandbox, 100, 0);
            }
            pipeline.startUploadWorker(Map.of(), List.of("-Xmx1g"));
            pipeline.startSenderWorker(Map.of(), List.of("-Xmx1g"));
            long streaming = System.nanoTime();
            channels.forEach(c -> sandbox.inboundStream(c.numberId(), inbound.get(c.id())));

            int warmUp = publishBacklog(feed, channels, inbound, "warm-up", options.warmUp().toMillis() / 1000.0, 0);
            LOG.info("pacing: warm-up, {} messages", warmUp);
            results.await(warmUp, Duration.ofSeconds(120));
            if (options.inboundShare() > 0) {
                // The sender counts inbound messages over the last 10 s (pace.inbound.window.ms): one full window.
                ChildJvm.sleep(Math.max(0, INBOUND_SETTLE.toMillis() - (System.nanoTime() - streaming) / 1_000_000));
            }
            sandbox.reset();

            int measured = publishBacklog(feed, channels, inbound, "pacing", options.durationSeconds(), 10_000_000);
            LOG.info("pacing: {} messages, {} s at each channel's pace", measured, options.durationSeconds());
            int seen = results.await(warmUp + measured, options.duration().multipliedBy(3).plusSeconds(60)) - warmUp;
            sandbox.stopInboundStreams();

            ArrayNode list = report.json().putArray("channels");
            for (BenchChannel channel : channels) {
                StatsSnapshot stats = sandbox.stats(channel.numberId());
                TreeMap<Long, Long> seconds = new TreeMap<>();
                stats.perSecond().forEach(s -> seconds.put(s.second(), s.accepted()));
                // The first and last seconds are partial (the run starts and ends inside them).
                TreeMap<Long, Long> full = seconds.size() > 2
                        ? new TreeMap<>(seconds.subMap(seconds.firstKey(), false, seconds.lastKey(), false)) : seconds;
                double pace = channel.pace(inbound.get(channel.id()));
                double meanRatio = Figures.mean(full) / pace;
                double maxRatio = stats.peakCountedPerSecond() / (double) channel.mps();
                long rejected = stats.rejectedByCode().getOrDefault(130429, 0L);
                ObjectNode node = list.addObject();
                node.put("limit_mps", channel.mps());
                node.put("pace_mps", BenchReport.round(pace));
                node.put("inbound_per_s", inbound.get(channel.id()));
                node.put("inbound_seen", stats.inbound());
                node.put("mean_ratio", BenchReport.round(meanRatio));
                node.put("max_second_ratio", BenchReport.round(maxRatio));
                node.put("rejected_130429", rejected);
                node.put("accepted", stats.accepted());
                ArrayNode perSecond = node.putArray("per_second");
                seconds.values().forEach(perSecond::add);
                ArrayNode inboundPerSecond = node.putArray("inbound_per_second");
                stats.perSecond().forEach(s -> inboundPerSecond.add(s.inbound()));
                String at = channel.mps() + " mps" + (inbound.get(channel.id()) > 0
                        ? " + " + inbound.get(channel.id()) + " inbound/s" : "") + ": ";
                report.row(at + "mean / pace", BenchReport.format(meanRatio), ">= 0.97", meanRatio >= 0.97);
                report.row(at + "busiest second (sends + inbound) / limit", BenchReport.format(maxRatio), "<= 1",
                        maxRatio <= 1);
                report.row(at + "130429 answers", Long.toString(rejected), "0", rejected == 0);
            }
            report.json().put("completed", seen);
            report.json().put("expected", measured);
            report.row("messages with a result", seen + " / " + measured, "all", seen == measured);
        }
        return report;
    }

    /**
     * Publishes {@code seconds} of each channel's pace (less its inbound rate) as text jobs of 100 recipients;
     * returns the messages.
     */
    private static int publishBacklog(JobFeed feed, List<BenchChannel> channels, Map<String, Integer> inbound,
                                      String campaign, double seconds, long firstRecipient) {
        int total = 0;
        long next = firstRecipient;
        for (BenchChannel channel : channels) {
            int count = (int) Math.ceil(channel.pace(inbound.get(channel.id())) * seconds);
            for (int sent = 0; sent < count; sent += BATCH) {
                int n = Math.min(BATCH, count - sent);
                feed.publish(JobFeed.batch(campaign + "-" + channel.id() + "-" + sent, campaign, channel.id(), next, n,
                        JobFeed.text("Hello {{name}}, your order has shipped.")));
                next += n;
            }
            total += count;
        }
        feed.flush();
        return total;
    }
}
