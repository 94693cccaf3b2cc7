package io.wabatch.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.InboundMessage;
import io.wabatch.common.contract.StatusEvent;
import io.wabatch.common.kafka.TopicNames;
import io.wabatch.sandbox.api.Latency;
import io.wabatch.sandbox.api.SandboxServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook receiver at 360dialog's sizing rule (issue 19): three times the outbound rate plus the inbound.
 * Both workers send texts on two channels at {@link #MPS} messages a second each (a number's default limit; the
 * sender paces at 0.98 of it less the inbound rate); the sandbox posts each message's {@code sent}, {@code delivered}
 * and {@code read} webhooks, one status a post, and {@link #INBOUND_PER_NUMBER} customers a second write to each
 * number (the sandbox's inbound stream, {@link SandboxServer#inboundStream(String, int)}), all signed, to a webhook receiver in its own JVM, which answers 200 once Kafka
 * acknowledged the records. Figures: the round trip the sandbox measures for each post (post sent to answer
 * read) over the measured window, p50 to max; then, with the sender stopped and every post answered, what the
 * sandbox had answered 200 against what is in the status and inbound topics ({@link WebhookDelivery}): none
 * may be lost.
 */
final class WebhooksScenario implements Scenario {

    private static final Logger LOG = LoggerFactory.getLogger("io.wabatch.bench");
    /** WhatsApp's default throughput of a number: 80 messages a second. */
    static final int MPS = 80;
    /** Customers writing to each number a second (a reply to about every fourth message sent). */
    static final int INBOUND_PER_NUMBER = 20;
    /** The sandbox's statuses per message: sent, delivered, read. */
    static final int STATUSES_PER_MESSAGE = 3;
    private static final Duration SETTLE = Duration.ofSeconds(60);

    @Override
    public String name() {
        return "webhooks";
    }

    @Override
    public BenchReport run(BenchEnv env, BenchOptions options) throws Exception {
        List<BenchChannel> channels = List.of(new BenchChannel("hooks-a", 0, MPS), new BenchChannel("hooks-b", 1, MPS));
        BenchReport report = new BenchReport(name(), options.durationSeconds());
        report.features().put("channels", channels.size()).put("channel_mps", MPS)
                .put("webhooks_per_message", STATUSES_PER_MESSAGE).put("inbound_per_s_per_number", INBOUND_PER_NUMBER);
        try (SandboxServer sandbox = Figures.sandbox(channels, Latency.NONE);
             Pipeline pipeline = Pipeline.create(env, "webhooks", channels, sandbox.baseUrl(), 1);
             JobFeed feed = new JobFeed(env.bootstrap(), pipeline.topics().jobs())) {
            Map<String, ChildJvm> workers = new LinkedHashMap<>();
            workers.put(WebhookWindow.RECEIVER, startReceiver(pipeline, sandbox, 100, 1.0));
            workers.put("upload_worker", pipeline.startUploadWorker(Map.of(), List.of("-Xmx512m")));
            workers.put("sender_worker", pipeline.startSenderWorker(Map.of(), List.of("-Xmx512m")));
            feed(feed, channels, options);
            channels.forEach(c -> sandbox.inboundStream(c.numberId(), INBOUND_PER_NUMBER));
            WebhookWindow window;
            try {
                awaitFlowing(sandbox);
                ChildJvm.sleep(options.warmUp().toMillis());
                window = WebhookWindow.measure(sandbox, channels, workers, options.duration());
            } finally {
                sandbox.stopInboundStreams();
            }
            // Every customer's message the streams wrote (the sandbox is not reset in this scenario).
            long written = channels.stream().mapToLong(c -> sandbox.stats(c.numberId()).inbound()).sum();
            // No message is sent after this: the statuses the sandbox decided are all it will post.
            workers.get("sender_worker").close();
            boolean settled = settle(sandbox, written);
            window.report(report, offered(channels));
            // The counts first, the topics after: whatever was answered 200 by then is in the topics' ends.
            reportDelivery(report, env.bootstrap(), pipeline.topics(), sandbox.webhooks(), settled);
        }
        return report;
    }

    /**
     * Starts a webhook receiver in its own JVM and points the sandbox's signed webhooks at it: each accepted
     * message's statuses {@code stepMs} apart ({@code read} for {@code readShare} of them), and customers' messages.
     */
    static ChildJvm startReceiver(Pipeline pipeline, SandboxServer sandbox, int stepMs, double readShare) {
        String secret = UUID.randomUUID().toString();
        int port = ChildJvm.freePort();
        Map<String, String> receiver = new HashMap<>();
        receiver.put("webhook.host", "127.0.0.1");
        receiver.put("webhook.port", Integer.toString(port));
        receiver.put("webhook.app.secret", secret);
        ChildJvm worker = pipeline.startWebhookReceiver(receiver, List.of("-Xmx512m"));
        sandbox.setWebhooks("{\"url\":\"http://127.0.0.1:" + port + "/webhook\",\"app_secret\":\"" + secret
                + "\",\"step\":" + stepMs + ",\"read_share\":" + readShare + ",\"failed_share\":0}");
        return worker;
    }

    /**
     * Publishes, on a thread of its own, more single-text jobs to each channel than it sends before the window
     * ends (the sender is stopped then): a backlog the sender works off at its pace, every recipient distinct.
     */
    private static void feed(JobFeed feed, List<BenchChannel> channels, BenchOptions options) {
        long perChannel = (long) MPS * (options.warmUp().toSeconds() + options.duration().toSeconds() + 10);
        Thread feeder = new Thread(() -> {
            for (long i = 0; i < perChannel; i++) {
                for (BenchChannel channel : channels) {
                    long recipient = channel.partition() * 100_000_000L + i;
                    feed.publish(JobFeed.single("hook-" + channel.id() + "-" + i, "hooks", channel.id(), recipient,
                            JobFeed.text("status " + i)));
                }
            }
            feed.flush();
        }, "bench-feeder");
        feeder.setDaemon(true);
        feeder.start();
    }

    private static void awaitFlowing(SandboxServer sandbox) {
        long flowing = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (sandbox.webhooks().path("statuses").path("answered_ok").asLong() == 0 && System.nanoTime() < flowing) {
            ChildJvm.sleep(50);
        }
    }

    /**
     * Waits (up to {@link #SETTLE}) until every status the sandbox decided and every customer's message written
     * was answered 2xx or given up; false when some were still pending then.
     */
    private static boolean settle(SandboxServer sandbox, long inboundWritten) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode counts = sandbox.webhooks();
            if (done(counts.path("statuses")) == decided(counts) && done(counts.path("inbound")) == inboundWritten) {
                return true;
            }
            ChildJvm.sleep(100);
        }
        LOG.warn("webhooks: posts still pending after {}: {}", SETTLE, sandbox.webhooks());
        return false;
    }

    private static long done(JsonNode tally) {
        return tally.path("answered_ok").asLong() + tally.path("undeliverable").asLong();
    }

    /** Statuses the sandbox decided (each posted once): sent, delivered, read and failed over every number. */
    private static long decided(JsonNode counts) {
        long decided = 0;
        for (JsonNode number : counts.path("numbers")) {
            for (String status : List.of("sent", "delivered", "read", "failed")) {
                decided += number.path(status).asLong();
            }
        }
        return decided;
    }

    private static String statusIdentity(byte[] value) throws java.io.IOException {
        StatusEvent status = StatusEvent.decode(value);
        return status.wamid() + " " + status.status();
    }

    /** Webhooks a second the scenario offers: three per message at the sender's pace, plus the customers'. */
    private static double offered(List<BenchChannel> channels) {
        return channels.stream().mapToDouble(c -> STATUSES_PER_MESSAGE * c.pace(INBOUND_PER_NUMBER)
                + INBOUND_PER_NUMBER).sum();
    }

    private static void reportDelivery(BenchReport report, String bootstrap, TopicNames topics, JsonNode counts,
                                       boolean settled) {
        WebhookDelivery statuses = WebhookDelivery.of(counts.path("statuses"),
                TopicCount.read(bootstrap, topics.status(), WebhooksScenario::statusIdentity, SETTLE));
        WebhookDelivery messages = WebhookDelivery.of(counts.path("inbound"),
                TopicCount.read(bootstrap, topics.inbound(), v -> InboundMessage.decode(v).wamid(), SETTLE));
        long unparsed = TopicCount.read(bootstrap, topics.unparsedWebhooks(),
                v -> new String(v, StandardCharsets.UTF_8), SETTLE).records();
        long lost = statuses.lost() + messages.lost();
        long duplicates = statuses.duplicates() + messages.duplicates();
        LOG.info("webhooks: statuses {}, inbound {}, unparsed {}, settled {}", statuses, messages, unparsed, settled);
        // Attempts neither answered nor failed yet: a post the sandbox's client still waits on.
        long pending = counts.path("posted").asLong() - counts.path("answered_ok").asLong()
                - counts.path("refused").asLong();
        report.json().put("lost", lost).put("duplicates", duplicates).put("unparsed_records", unparsed)
                .put("settled", settled).put("pending_posts", pending);
        report.json().set("statuses", statuses.toJson());
        report.json().set("inbound", messages.toJson());
        report.row("statuses answered 200 / in wa.status", statuses.answeredOk() + " / " + statuses.distinct(), null,
                null);
        report.row("inbound answered 200 / in wa.inbound", messages.answeredOk() + " / " + messages.distinct(), null,
                null);
        report.row("lost (answered 200, not in Kafka)", Long.toString(lost), "0", lost == 0);
        report.row("duplicates in the topics", Long.toString(duplicates), null, null);
        report.row("given up by the sandbox / unparsed", (statuses.undeliverable() + messages.undeliverable()) + " / "
                + unparsed, null, null);
        report.row("every post answered before counting (else: posts pending)", settled ? "yes"
                : "no (" + pending + ")", null, null);
    }
}
