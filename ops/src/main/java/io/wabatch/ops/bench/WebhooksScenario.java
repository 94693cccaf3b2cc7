package io.wabatch.ops.bench;

import io.wabatch.sandbox.api.Latency;
import io.wabatch.sandbox.api.SandboxServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook receiver under the load the issue names: three status webhooks (sent, delivered,
 * read) per sent message. Both workers send texts on one channel at {@link #MPS} messages a second
 * (a number's default limit);
 * the sandbox posts each message's statuses, signed, to a webhook receiver in its own JVM, which
 * answers 200 once Kafka acknowledged them. The figure is the round trip the sandbox measures for
 * each post (post sent to answer read), over the measured window. Target: median under 250 ms.
 */
final class WebhooksScenario implements Scenario {

    private static final Logger LOG = LoggerFactory.getLogger("io.wabatch.bench");
    /** WhatsApp's default throughput of a number: 80 messages a second, 240 webhooks a second. */
    static final int MPS = 80;

    @Override
    public String name() {
        return "webhooks";
    }

    @Override
    public BenchReport run(BenchEnv env, BenchOptions options) throws Exception {
        List<BenchChannel> channels = List.of(new BenchChannel("hooks", 0, MPS));
        BenchReport report = new BenchReport(name(), options.durationSeconds());
        report.features().put("webhooks_per_message", 3).put("channel_mps", MPS);
        String secret = UUID.randomUUID().toString();
        try (SandboxServer sandbox = Figures.sandbox(channels, Latency.NONE);
             Pipeline pipeline = Pipeline.create(env, "webhooks", channels, sandbox.baseUrl(), 1);
             JobFeed feed = new JobFeed(env.bootstrap(), pipeline.topics().jobs())) {
            int port = ChildJvm.freePort();
            Map<String, String> receiver = new HashMap<>();
            receiver.put("webhook.host", "127.0.0.1");
            receiver.put("webhook.port", Integer.toString(port));
            receiver.put("webhook.app.secret", secret);
            pipeline.startWebhookReceiver(receiver, List.of("-Xmx512m"));
            sandbox.setWebhooks("{\"url\":\"http://127.0.0.1:" + port + "/webhook\",\"app_secret\":\"" + secret
                    + "\",\"step\":100,\"read_share\":1.0,\"failed_share\":0}");
            pipeline.startUploadWorker(Map.of(), List.of("-Xmx512m"));
            pipeline.startSenderWorker(Map.of(), List.of("-Xmx512m"));

            long total = (long) MPS * (options.warmUp().toSeconds() + options.duration().toSeconds() + 2);
            Thread feeder = new Thread(() -> {
                for (long i = 0; i < total; i++) {
                    feed.publish(JobFeed.single("hook-" + i, "hooks", "hooks", i, JobFeed.text("status " + i)));
                }
                feed.flush();
            }, "bench-feeder");
            feeder.setDaemon(true);
            feeder.start();
            long flowing = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (sandbox.webhooks().path("answered_ok").asLong() == 0 && System.nanoTime() < flowing) {
                ChildJvm.sleep(50);
            }
            ChildJvm.sleep(options.warmUp().toMillis());
            int before = sandbox.webhookLatenciesMicros().length;
            long postedBefore = sandbox.webhooks().path("posted").asLong();
            long refusedBefore = sandbox.webhooks().path("refused").asLong();
            ChildJvm.sleep(options.duration().toMillis());
            long[] all = sandbox.webhookLatenciesMicros();
            long posted = sandbox.webhooks().path("posted").asLong() - postedBefore;
            long refused = sandbox.webhooks().path("refused").asLong() - refusedBefore;
            long[] window = Arrays.copyOfRange(all, Math.min(before, all.length), all.length);
            double rate = posted / (double) options.duration().toSeconds();
            long p50 = Figures.percentile(window, 0.50);
            long p99 = Figures.percentile(window, 0.99);
            LOG.info("webhooks: {} posts/s, p50 {} µs, p99 {} µs, {} refused", Math.round(rate), p50, p99, refused);
            report.json().put("webhooks_per_s", BenchReport.round(rate)).put("answered", window.length)
                    .put("refused", refused).put("p50_ms", BenchReport.round(p50 / 1000.0))
                    .put("p99_ms", BenchReport.round(p99 / 1000.0))
                    .put("max_ms", BenchReport.round(Figures.percentile(window, 1.0) / 1000.0));
            report.row("webhooks answered 200 per s", BenchReport.format(rate), "~" + 3 * MPS, null);
            report.row("median post -> 200 (ms)", BenchReport.format(p50 / 1000.0), "< 250", p50 < 250_000);
            report.row("p99 post -> 200 (ms)", BenchReport.format(p99 / 1000.0), null, null);
            report.row("refused (not 2xx)", Long.toString(refused), "0", refused == 0);
        }
        return report;
    }
}
