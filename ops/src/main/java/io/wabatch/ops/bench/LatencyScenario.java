package io.wabatch.ops.bench;

import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Outcome;
import io.wabatch.sandbox.api.Latency;
import io.wabatch.sandbox.api.SandboxServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End-to-end latency at low load: 100 single-recipient text jobs a second, spaced evenly, offered
 * to a 1,000 mps channel for {@code duration} seconds through both workers; the sandbox answers
 * after a fixed 50 ms. Latency is the result's {@code sentAt} (the API's answer, as the sender saw
 * it) minus its {@code enqueuedAt} (the campaign job's record time at publish), so it includes the
 * sandbox's 50 ms; the target is on what wabatch adds to it.
 */
final class LatencyScenario implements Scenario {

    private static final Logger LOG = LoggerFactory.getLogger("io.wabatch.bench");
    static final int OFFERED_PER_SECOND = 100;
    static final Duration SANDBOX_LATENCY = Duration.ofMillis(50);

    @Override
    public String name() {
        return "latency";
    }

    @Override
    public BenchReport run(BenchEnv env, BenchOptions options) throws Exception {
        List<BenchChannel> channels = List.of(new BenchChannel("latency", 0, 1_000));
        BenchReport report = new BenchReport(name(), options.durationSeconds());
        report.features().put("ledger", true).put("offered_per_s", OFFERED_PER_SECOND);
        try (SandboxServer sandbox = Figures.sandbox(channels, Latency.fixed(SANDBOX_LATENCY));
             Pipeline pipeline = Pipeline.create(env, "latency", channels, sandbox.baseUrl(), 1);
             JobFeed feed = new JobFeed(env.bootstrap(), pipeline.topics().jobs(), 0);
             ResultTap warm = new ResultTap(env.bootstrap(), pipeline.topics().results(),
                     r -> r.campaignId().equals("warm-up"));
             ResultTap results = new ResultTap(env.bootstrap(), pipeline.topics().results(),
                     r -> r.campaignId().equals("latency"))) {
            pipeline.startUploadWorker(Map.of(), List.of("-Xmx1g"));
            pipeline.startSenderWorker(Map.of(), List.of("-Xmx1g"));

            int warmUp = offer(feed, "warm-up", options.warmUp(), 0);
            warm.await(warmUp, Duration.ofSeconds(60));
            int offered = offer(feed, "latency", options.duration(), 1_000_000);
            LOG.info("latency: {} jobs offered at {}/s", offered, OFFERED_PER_SECOND);
            int seen = results.await(offered, Duration.ofSeconds(60));

            List<JobResult> accepted = results.results().stream().filter(r -> r.outcome() == Outcome.ACCEPTED).toList();
            long[] millis = accepted.stream().mapToLong(r -> between(r.enqueuedAt(), r.sentAt())).toArray();
            // Where the time goes: publish → ready job produced (upload worker), ready → API answer (sender).
            long[] toReady = accepted.stream().mapToLong(r -> between(r.enqueuedAt(), r.uploadedAt())).toArray();
            long[] readyToApi = accepted.stream().mapToLong(r -> between(r.uploadedAt(), r.sentAt())).toArray();
            long p50 = Figures.percentile(millis, 0.50);
            long p99 = Figures.percentile(millis, 0.99);
            long p999 = Figures.percentile(millis, 0.999);
            long sandboxMs = SANDBOX_LATENCY.toMillis();
            report.json().put("p50_ms", p50).put("p99_ms", p99).put("p999_ms", p999)
                    .put("max_ms", Figures.percentile(millis, 1.0)).put("sandbox_latency_ms", sandboxMs)
                    .put("completed", millis.length).put("expected", offered)
                    .put("upload_stage_p50_ms", Figures.percentile(toReady, 0.5))
                    .put("upload_stage_p99_ms", Figures.percentile(toReady, 0.99))
                    .put("send_stage_p50_ms", Figures.percentile(readyToApi, 0.5))
                    .put("send_stage_p99_ms", Figures.percentile(readyToApi, 0.99));
            report.row("accepted", millis.length + " / " + offered, "all", millis.length == offered && seen == offered);
            report.row("p50 publish -> API answer (ms)", Long.toString(p50), null, null);
            report.row("p99 publish -> API answer (ms)", Long.toString(p99), "< " + (sandboxMs + 100),
                    p99 < sandboxMs + 100);
            report.row("p99.9 publish -> API answer (ms)", Long.toString(p999), null, null);
            report.row("sandbox latency (ms)", Long.toString(sandboxMs), null, null);
            report.row("p50 / p99 publish -> ready job (ms)", Figures.percentile(toReady, 0.5) + " / "
                    + Figures.percentile(toReady, 0.99), null, null);
            report.row("p50 / p99 ready job -> API answer (ms)", Figures.percentile(readyToApi, 0.5) + " / "
                    + Figures.percentile(readyToApi, 0.99), null, null);
        }
        return report;
    }

    private static long between(java.time.Instant from, java.time.Instant to) {
        return Duration.between(from, to).toMillis();
    }

    /** Publishes one text job every 10 ms for {@code length}, each to a new recipient; returns how many. */
    private static int offer(JobFeed feed, String campaign, Duration length, long firstRecipient) {
        int count = (int) (length.toMillis() * OFFERED_PER_SECOND / 1000);
        long start = System.nanoTime();
        long interval = 1_000_000_000L / OFFERED_PER_SECOND;
        for (int i = 0; i < count; i++) {
            JobFeed.sleepNanos(start + i * interval - System.nanoTime());
            feed.publish(JobFeed.single(campaign + "-" + i, campaign, "latency", firstRecipient + i,
                    JobFeed.text("Your code is " + (100_000 + i))));
        }
        feed.flush();
        return count;
    }
}
