package io.wabatch.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.sandbox.api.SandboxServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The measured window of {@link WebhooksScenario}: the sandbox's webhook counts at its start and end, the round
 * trips of the posts answered 2xx in it, the messages the API accepted in it (the outbound rate the statuses
 * follow), and the CPU time of each process.
 *
 * @param before   {@code sandbox.webhooks()} at the start
 * @param after    the same at the end
 * @param micros   post → answer of each post answered 2xx in the window, in microseconds
 * @param accepted messages the API accepted in the window, on every channel
 * @param cpu      CPU time of each worker and of this JVM over the window ({@link CpuMeter})
 * @param seconds  the window's length
 */
record WebhookWindow(JsonNode before, JsonNode after, long[] micros, long accepted, Map<String, Duration> cpu,
                     double seconds) {

    /** The webhook receiver's name among the workers. */
    static final String RECEIVER = "webhook_receiver";
    private static final Logger LOG = LoggerFactory.getLogger("io.wabatch.bench");

    /** Waits {@code length}, taking the figures at its start and end. */
    static WebhookWindow measure(SandboxServer sandbox, List<BenchChannel> channels, Map<String, ChildJvm> workers,
                                 Duration length) {
        JsonNode before = sandbox.webhooks();
        long acceptedBefore = Figures.accepted(sandbox, channels);
        int first = sandbox.webhookLatenciesMicros().length;
        CpuMeter cpu = CpuMeter.start(workers);
        ChildJvm.sleep(length.toMillis());
        Map<String, Duration> used = cpu.used();
        JsonNode after = sandbox.webhooks();
        long accepted = Figures.accepted(sandbox, channels) - acceptedBefore;
        long[] all = sandbox.webhookLatenciesMicros();
        LOG.info("webhooks: measured window of {} ended", length);
        return new WebhookWindow(before, after, Arrays.copyOfRange(all, Math.min(first, all.length), all.length),
                accepted, used, length.toMillis() / 1000.0);
    }

    long delta(String... path) {
        JsonNode b = before;
        JsonNode a = after;
        for (String key : path) {
            b = b.path(key);
            a = a.path(key);
        }
        return a.asLong() - b.asLong();
    }

    double perSecond(String... path) {
        return delta(path) / seconds;
    }

    long ms(double q) {
        return Figures.percentile(micros, q);
    }

    /** The window's figures into {@code report}; {@code offered}: the webhooks a second the scenario means to post. */
    void report(BenchReport report, double offered) {
        long refused = delta("refused");
        long inFlight = after.path("posted").asLong() - after.path("answered_ok").asLong()
                - after.path("refused").asLong();
        double answered = perSecond("answered_ok");
        LOG.info("webhooks: {} posts/s, {} answered/s, p50 {} µs, p99 {} µs, {} refused", Math.round(
                perSecond("posted")), Math.round(answered), ms(0.5), ms(0.99), refused);
        report.json().put("outbound_per_s", BenchReport.round(accepted / seconds))
                .put("offered_per_s", BenchReport.round(perSecond("posted")))
                .put("webhooks_per_s", BenchReport.round(answered))
                .put("statuses_per_s", BenchReport.round(perSecond("statuses", "answered_ok")))
                .put("inbound_per_s", BenchReport.round(perSecond("inbound", "answered_ok")))
                .put("answered", micros.length).put("refused", refused).put("in_flight_at_end", inFlight)
                .put("p50_ms", msOf(0.5)).put("p99_ms", msOf(0.99)).put("p999_ms", msOf(0.999))
                .put("max_ms", msOf(1.0));
        report.row("messages sent per s (both numbers)", BenchReport.format(accepted / seconds), null, null);
        report.row("webhooks posted per s", BenchReport.format(perSecond("posted")), "~" + Math.round(offered),
                null);
        report.row("webhooks answered 200 per s (statuses + inbound)", BenchReport.format(answered) + " ("
                + BenchReport.format(perSecond("statuses", "answered_ok")) + " + "
                + BenchReport.format(perSecond("inbound", "answered_ok")) + ")", null, null);
        report.row("median post -> 200 (ms)", BenchReport.format(msOf(0.5)), "< 250", ms(0.5) < 250_000);
        report.row("p99 / p99.9 / max post -> 200 (ms)", BenchReport.format(msOf(0.99)) + " / "
                + BenchReport.format(msOf(0.999)) + " / " + BenchReport.format(msOf(1.0)), "stated", null);
        report.row("refused in the window (not 2xx)", Long.toString(refused), "0", refused == 0);
        report.row("posts in flight at the window's end", Long.toString(inFlight), null, null);
        reportCpu(report, delta("answered_ok"));
    }

    /** Cores each process used over the window, and the receiver's CPU per webhook it answered. */
    private void reportCpu(BenchReport report, long answered) {
        ObjectNode cores = report.json().putObject("cpu_cores");
        cpu.forEach((name, time) -> cores.put(name, BenchReport.round(time.toNanos() / 1e9 / seconds)));
        double perWebhook = cpu.get(RECEIVER).toNanos() / 1000.0 / Math.max(1, answered);
        report.json().put("receiver_cpu_us_per_webhook", BenchReport.round(perWebhook));
        StringBuilder shares = new StringBuilder();
        cores.fields().forEachRemaining(e -> shares.append(shares.isEmpty() ? "" : " / ")
                .append(BenchReport.format(e.getValue().asDouble())));
        report.row("CPU cores: " + String.join(" / ", cpu.keySet()), shares.toString(), null, null);
        report.row("receiver CPU µs per webhook answered", BenchReport.format(perWebhook), null, null);
    }

    private double msOf(double q) {
        return BenchReport.round(ms(q) / 1000.0);
    }
}
