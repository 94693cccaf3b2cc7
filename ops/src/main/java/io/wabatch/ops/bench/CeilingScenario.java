package io.wabatch.ops.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.wabatch.common.api.ApiEndpoint;
import io.wabatch.common.api.ClientOptions;
import io.wabatch.common.api.WhatsAppClients;
import io.wabatch.common.secret.Secret;
import io.wabatch.sandbox.api.Latency;
import io.wabatch.sandbox.api.SandboxServer;
import io.wabatch.sandbox.origin.MediaOrigin;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throughput ceiling: 20 channels with no practical limit (100,000 mps), the sandbox answering at
 * once, campaign jobs of 100 recipients (half texts, half images by media id, every recipient its
 * own) kept ahead of the workers by a feeder. Three phases on this box, one after the other:
 * the {@link ReferenceLoop}; both workers with the full feature set (send ledger on); the same with
 * the ledger off. Each phase warms up, then counts the sandbox's accepted messages per second over
 * {@code duration} seconds; each worker's CPU time over the same window gives its µs per message.
 */
final class CeilingScenario implements Scenario {

    private static final Logger LOG = LoggerFactory.getLogger("io.wabatch.bench");
    private static final int CHANNELS = 20;
    private static final int BATCH = 100;
    private static final long LEAD = 100_000;
    private static final double JIT_SETTLED = 0.05;
    private static final int SENDER_WINDOW = 2_048;
    private static final Duration JIT_WAIT = Duration.ofSeconds(120);

    @Override
    public String name() {
        return "ceiling";
    }

    @Override
    public BenchReport run(BenchEnv env, BenchOptions options) throws Exception {
        List<BenchChannel> channels = new ArrayList<>();
        for (int i = 0; i < CHANNELS; i++) {
            channels.add(new BenchChannel(String.format("c%02d", i), i, 100_000));
        }
        BenchReport report = new BenchReport(name(), options.durationSeconds());
        report.features().put("ledger", true).put("ledger_off_also_reported", true).put("channels", CHANNELS)
                .put("recipients_per_job", BATCH).put("sender_window_records", SENDER_WINDOW)
                .put("messages", "half text, half image by media id")
                .put("profile", options.profile());
        try (SandboxServer sandbox = Figures.sandbox(channels, Latency.NONE)) {
            double reference = ReferenceLoop.run(sandbox.baseUrl(), channels, options.warmUp(), options.duration());
            LOG.info("ceiling: reference loop {} msg/s", Math.round(reference));
            sandbox.reset();

            // A reset forgets uploads too: each phase uploads its image again.
            Phase on = phase(env, sandbox, channels, uploadImages(sandbox, channels), options, true);
            sandbox.reset();
            Phase off = phase(env, sandbox, channels, uploadImages(sandbox, channels), options, false);

            ObjectNode json = report.json();
            json.put("messages_per_s", Math.round(on.rate()));
            json.put("reference_loop_messages_per_s", Math.round(reference));
            json.put("ledger_off_messages_per_s", Math.round(off.rate()));
            json.put("share_of_reference", BenchReport.round(on.rate() / reference));
            json.set("cpu_us_per_message", on.cpuJson());
            json.set("ledger_off_cpu_us_per_message", off.cpuJson());
            json.set("backlog", on.backlogJson());
            json.set("ledger_off_backlog", off.backlogJson());
            json.put("api_duplicates", on.duplicates() + off.duplicates());
            json.put("api_refused", on.refused() + off.refused());
            if (on.hotMethods() != null) {
                json.set("hot_methods", on.hotMethods());
            }
            report.row("wabatch, ledger on (msg/s)", BenchReport.format(on.rate()), ">= 10,000", on.rate() >= 10_000);
            report.row("reference Vert.x loop (msg/s)", BenchReport.format(reference), null, null);
            report.row("wabatch / reference", BenchReport.format(on.rate() / reference), ">= 0.333",
                    on.rate() / reference >= 1.0 / 3);
            report.row("wabatch, ledger off (msg/s)", BenchReport.format(off.rate()), null, null);
            on.cpu().forEach((part, us) -> report.row("CPU µs/message, ledger on: " + part, BenchReport.format(us),
                    null, null));
            off.cpu().forEach((part, us) -> report.row("CPU µs/message, ledger off: " + part, BenchReport.format(us),
                    null, null));
            on.backlog().forEach((stage, records) -> report.row("backlog at the end, ledger on: " + stage,
                    Long.toString(records), null, null));
            report.row("messages the API got twice", Long.toString(on.duplicates() + off.duplicates()), "0",
                    on.duplicates() + off.duplicates() == 0);
            report.row("requests the API refused", Long.toString(on.refused() + off.refused()), "0",
                    on.refused() + off.refused() == 0);
        }
        return report;
    }

    /**
     * One measured phase of wabatch.
     *
     * @param rate       accepted messages per second over the window
     * @param cpu        CPU µs per message by process
     * @param duplicates messages the sandbox accepted twice
     * @param refused    requests the sandbox answered with an error within the window (none in a valid run)
     * @param backlog    records waiting before each stage at the end of the window (records of jobs, of ready)
     * @param hotMethods the profile, or null
     */
    private record Phase(double rate, Map<String, Double> cpu, long duplicates, long refused, Map<String, Long> backlog,
                         ObjectNode hotMethods) {
        ObjectNode cpuJson() {
            ObjectNode node = io.wabatch.common.contract.Json.mapper().createObjectNode();
            cpu.forEach((part, us) -> node.put(part, BenchReport.round(us)));
            return node;
        }

        ObjectNode backlogJson() {
            ObjectNode node = io.wabatch.common.contract.Json.mapper().createObjectNode();
            backlog.forEach(node::put);
            return node;
        }
    }

    private static Phase phase(BenchEnv env, SandboxServer sandbox, List<BenchChannel> channels,
                               Map<String, String> mediaIds, BenchOptions options, boolean ledger) throws Exception {
        String name = ledger ? "ceiling-ledger" : "ceiling-no-ledger";
        try (Pipeline pipeline = Pipeline.create(env, name, channels, sandbox.baseUrl(), CHANNELS);
             JobFeed feed = new JobFeed(env.bootstrap(), pipeline.topics().jobs())) {
            AtomicBoolean feeding = new AtomicBoolean(true);
            Thread feeder = new Thread(() -> feed(feed, sandbox, channels, mediaIds, feeding), "bench-feeder");
            feeder.setDaemon(true);
            feeder.start();
            ChildJvm upload = pipeline.startUploadWorker(Map.of(), List.of("-Xmx1g"));
            // 20 channels at full speed keep ~2,000 records in flight (docs/configuration.md: window.records).
            ChildJvm sender = pipeline.startSenderWorker(Map.of("ledger.enabled", Boolean.toString(ledger),
                            "window.records", Integer.toString(SENDER_WINDOW)),
                    List.of("-Xmx1g"));
            // The warm-up runs under full load: it starts once messages reach the API.
            long flowing = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (Figures.accepted(sandbox, channels) == 0 && System.nanoTime() < flowing) {
                ChildJvm.sleep(50);
            }
            ChildJvm.sleep(options.warmUp().toMillis());
            awaitCompiled(options.duration().multipliedBy(2), upload, sender);

            Profiler profiler = options.profile() && ledger ? Profiler.start(env.directory(name), upload, sender) : null;
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long from = System.currentTimeMillis();
            Duration uploadCpu = upload.cpu();
            Duration senderCpu = sender.cpu();
            long benchCpu = os.getProcessCpuTime();
            long acceptedBefore = Figures.accepted(sandbox, channels);
            long refusedBefore = refused(sandbox, channels);
            ChildJvm.sleep(options.duration().toMillis());
            long acceptedAfter = Figures.accepted(sandbox, channels);
            long to = System.currentTimeMillis();
            Map<String, Long> backlog = pipeline.backlog();
            Map<String, Double> cpu = new LinkedHashMap<>();
            cpu.put("upload_worker", (upload.cpu().minus(uploadCpu).toNanos() / 1000.0));
            cpu.put("sender_worker", (sender.cpu().minus(senderCpu).toNanos() / 1000.0));
            cpu.put("broker_sandbox_feeder_jvm", (os.getProcessCpuTime() - benchCpu) / 1000.0);
            ObjectNode hot = profiler == null ? null : profiler.stop();
            feeding.set(false);
            feeder.join(10_000);

            long count = acceptedAfter - acceptedBefore;
            double rate = count / ((to - from) / 1000.0);
            cpu.replaceAll((part, us) -> us / Math.max(1, count));
            long duplicates = channels.stream().mapToLong(c -> sandbox.stats(c.numberId()).duplicates()).sum();
            long refused = refused(sandbox, channels) - refusedBefore;
            LOG.info("ceiling, ledger {}: {} msg/s, CPU µs/message {}, {} refused by the API, backlog {}",
                    ledger ? "on" : "off", Math.round(rate), cpu, refused, backlog);
            return new Phase(rate, cpu, duplicates, refused, backlog, hot);
        }
    }

    /** Requests the sandbox answered with an error on these channels so far. */
    private static long refused(SandboxServer sandbox, List<BenchChannel> channels) {
        return channels.stream().flatMap(c -> sandbox.stats(c.numberId()).rejectedByCode().values().stream())
                .mapToLong(Long::longValue).sum();
    }

    /**
     * Waits, under load, until the workers' JIT compilers are done: together under {@link #JIT_SETTLED} of a
     * core over 5 s, or at most {@code limit} (and {@link #JIT_WAIT}). Until then the compilers take a large
     * share of 2 cores and the figures would measure the warm-up, not wabatch.
     */
    private static void awaitCompiled(Duration limit, ChildJvm... workers) {
        long wait = Math.min(limit.toMillis(), JIT_WAIT.toMillis());
        long step = Math.min(5_000, wait);
        long deadline = System.nanoTime() + wait * 1_000_000;
        long before = compilerMillis(workers);
        while (System.nanoTime() < deadline) {
            ChildJvm.sleep(step);
            long now = compilerMillis(workers);
            double share = (now - before) / (double) step;
            before = now;
            LOG.info("ceiling: warming up, JIT compilers at {} of a core", BenchReport.format(share));
            if (share < JIT_SETTLED) {
                return;
            }
        }
    }

    private static long compilerMillis(ChildJvm... workers) {
        long millis = 0;
        for (ChildJvm worker : workers) {
            millis += worker.compilerCpu().toMillis();
        }
        return millis;
    }

    /** Publishes jobs, round-robin over channels, alternating text and image, staying {@link #LEAD} ahead of the API. */
    private static void feed(JobFeed feed, SandboxServer sandbox, List<BenchChannel> channels,
                             Map<String, String> mediaIds, AtomicBoolean feeding) {
        long published = 0;
        long job = 0;
        while (feeding.get()) {
            if (published - Figures.accepted(sandbox, channels) > LEAD) {
                ChildJvm.sleep(20);
                continue;
            }
            for (int i = 0; i < 50; i++, job++) {
                BenchChannel channel = channels.get((int) (job % channels.size()));
                ObjectNode message = job / channels.size() % 2 == 0
                        ? JobFeed.text("Hello {{name}}, your order has shipped.")
                        : JobFeed.imageById(mediaIds.get(channel.id()));
                feed.publish(JobFeed.batch("ceiling-" + job, "ceiling", channel.id(), job * BATCH, BATCH, message));
                published += BATCH;
            }
            feed.flush();
        }
    }

    /** Uploads the sample image once per channel; returns channel id → media id. */
    private static Map<String, String> uploadImages(SandboxServer sandbox, List<BenchChannel> channels) throws Exception {
        Vertx vertx = Vertx.vertx();
        WebClient web = WhatsAppClients.webClient(vertx, ClientOptions.defaults());
        Path image = Files.createTempFile("bench-image-", ".jpg");
        try {
            Files.write(image, MediaOrigin.sample("sample.jpg"));
            Map<String, String> ids = new HashMap<>();
            for (BenchChannel channel : channels) {
                var client = WhatsAppClients.create(web, ApiEndpoint.d360(URI.create(sandbox.baseUrl()),
                        Secret.of(channel.apiKey())), ClientOptions.defaults());
                ids.put(channel.id(), client.upload(image, "image/jpeg", "offer.jpg").toCompletionStage()
                        .toCompletableFuture().get(30, TimeUnit.SECONDS).value().mediaId());
            }
            return ids;
        } finally {
            Files.deleteIfExists(image);
            web.close();
            vertx.close();
        }
    }
}
