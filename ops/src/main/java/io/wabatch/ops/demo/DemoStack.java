package io.wabatch.ops.demo;

import io.wabatch.common.api.ApiEndpoint;
import io.wabatch.common.channel.Channel;
import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.secret.Secret;
import io.wabatch.common.config.WorkerConfig;
import io.wabatch.common.observe.Observability;
import io.wabatch.common.observe.OpsServer;
import io.wabatch.common.kafka.TopicException;
import io.wabatch.common.kafka.TopicNames;
import io.wabatch.common.kafka.Topics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wabatch.sandbox.api.SandboxConfig;
import io.wabatch.sandbox.api.SandboxServer;
import io.wabatch.sandbox.kafka.BrokerOptions;
import io.wabatch.sandbox.kafka.EmbeddedKafkaBroker;
import io.wabatch.sandbox.origin.MediaOrigin;
import io.wabatch.sender.SenderWorker;
import io.wabatch.funnel.FunnelAggregator;
import io.wabatch.funnel.FunnelConfig;
import io.wabatch.webhook.WebhookConfig;
import io.wabatch.webhook.WebhookReceiver;
import io.wabatch.sender.config.SenderWorkerConfig;
import io.wabatch.upload.UploadWorker;
import io.wabatch.upload.config.UploadWorkerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Everything a campaign needs, in one JVM: an embedded Kafka broker (or an external one), the
 * sandbox WhatsApp API with two numbers (one per provider), a local media origin, wabatch's
 * topics, both workers, the webhook receiver and the funnel, each service and the sandbox with its
 * metrics and health endpoint on 127.0.0.1. Used by {@code wabatch demo} and by the integration tests; the
 * demo's stack also holds the {@link SampleCatalogue} ({@link DemoOptions#sampleCatalogue()}).
 *
 * <p>About 300 lines because it wires all four services, each in a few lines of configuration, start
 * and close order; splitting the wiring would scatter the one place that shows the whole stack.
 */
public final class DemoStack implements AutoCloseable {

    /** The channel on the sandbox's 360dialog number. */
    public static final String D360_CHANNEL = "demo-360";
    /** The channel on the sandbox's Meta Cloud API number. */
    public static final String META_CHANNEL = "demo-meta";

    private final List<AutoCloseable> resources = new ArrayList<>();
    private EmbeddedKafkaBroker broker;
    private String bootstrap;
    private SandboxServer sandbox;
    private MediaOrigin origin;
    private ChannelRegistry registry;
    private UploadWorker uploadWorker;
    private SenderWorker senderWorker;
    private WebhookReceiver webhookReceiver;
    private String webhookSecret;
    private FunnelAggregator funnel;
    private final PrometheusMeterRegistry uploadMeters = Observability.prometheus();
    private final PrometheusMeterRegistry senderMeters = Observability.prometheus();
    private final PrometheusMeterRegistry webhookMeters = Observability.prometheus();
    private final PrometheusMeterRegistry funnelMeters = Observability.prometheus();
    private final Map<String, URI> metricsEndpoints = new LinkedHashMap<>();
    private Path workDir;
    private TopicNames topics;

    private DemoStack() {
    }

    /** Starts the stack; on failure everything started so far is stopped again. */
    public static DemoStack start(DemoOptions options) throws TopicException {
        DemoStack stack = new DemoStack();
        try {
            stack.startAll(options);
            return stack;
        } catch (TopicException | RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(DemoOptions options) throws TopicException {
        workDir = createWorkDir();
        bootstrap = options.bootstrap();
        if (bootstrap == null) {
            broker = EmbeddedKafkaBroker.start(BrokerOptions.preferredPort(options.kafkaPort())
                    .withDataDir(workDir.resolve("kafka")));
            resources.add(broker);
            bootstrap = broker.bootstrapServers();
        }
        sandbox = startSandbox(options.sandboxPort(), options.sandboxMps(), options.opsPort(2));
        resources.add(sandbox);
        origin = MediaOrigin.start();
        resources.add(origin);
        registry = registry(sandbox, options.sandboxMps());
        topics = options.topics();
        createTopics(options.partitions());
        // The sandbox holds the catalogue before the upload worker's first listing of it.
        List<String> catalogued = options.sampleCatalogue() ? SampleCatalogue.install(sandbox, registry) : List.of();
        Map<String, String> uploadValues = workerValues(options, options.opsPort(0));
        if (!catalogued.isEmpty()) {
            uploadValues.put(UploadWorkerConfig.TEMPLATES_ACCOUNTS, String.join(",", catalogued));
        }
        UploadWorkerConfig uploadConfig = new UploadWorkerConfig(uploadValues);
        OpsServer uploadOps = opsServer("upload-worker", uploadConfig, uploadMeters);
        uploadWorker = UploadWorker.start(uploadConfig, registry, uploadMeters);
        resources.add(uploadWorker);
        uploadOps.health(uploadWorker);
        SampleCatalogue.awaitListed(uploadWorker, catalogued, Duration.ofSeconds(30));
        SenderWorkerConfig senderConfig = new SenderWorkerConfig(workerValues(options, options.opsPort(1)));
        OpsServer senderOps = opsServer("sender-worker", senderConfig, senderMeters);
        senderWorker = SenderWorker.start(senderConfig, registry, senderMeters);
        resources.add(senderWorker);
        senderOps.health(senderWorker);
        startWebhooksAndFunnel(options);
        metricsEndpoints.put("sandbox", URI.create(sandbox.metricsUrl()));
        uploadWorker.assigned().join();
        senderWorker.assigned().join();
    }

    /**
     * The webhook receiver (a random app secret; the sandbox signs its status webhooks with it) and
     * the funnel aggregator, so {@code wabatch campaign status} shows delivery, not just acceptance.
     */
    private void startWebhooksAndFunnel(DemoOptions options) {
        String secret = UUID.randomUUID().toString();
        webhookSecret = secret;
        Map<String, String> webhook = workerValues(options, options.opsPort(3));
        webhook.put("webhook.host", "127.0.0.1");
        webhook.put("webhook.port", "0");
        webhook.put("webhook.app.secret", secret);
        WebhookConfig webhookConfig = new WebhookConfig(webhook);
        OpsServer webhookOps = opsServer("webhook-receiver", webhookConfig, webhookMeters);
        try {
            webhookReceiver = WebhookReceiver.start(webhookConfig, webhookMeters);
        } catch (Exception e) {
            throw new IllegalStateException("the webhook receiver did not start: " + e.getMessage(), e);
        }
        resources.add(webhookReceiver);
        webhookOps.health(webhookReceiver);
        sandbox.setWebhooks(webhookSettings("\"step\":300,\"read_share\":0.7,\"failed_share\":0.02,"
                + "\"failed_codes\":[131026,131050]"));
        Map<String, String> funnelValues = workerValues(options, options.opsPort(4));
        funnelValues.put("group.id", "wabatch-funnel-" + UUID.randomUUID().toString().substring(0, 8));
        funnelValues.put("funnel.state.dir", workDir.resolve("funnel").toString());
        FunnelConfig funnelConfig = new FunnelConfig(funnelValues);
        OpsServer funnelOps = opsServer("funnel", funnelConfig, funnelMeters);
        try {
            funnel = FunnelAggregator.start(funnelConfig, funnelMeters);
        } catch (TopicException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        resources.add(funnel);
        funnelOps.health(funnel);
    }

    /** The worker's metrics and health endpoint, started before the worker so it answers while that starts. */
    private OpsServer opsServer(String name, WorkerConfig config, PrometheusMeterRegistry meters) {
        OpsServer ops = OpsServer.start(config.opsHost(), config.opsPort(), meters::scrape);
        resources.add(ops);
        metricsEndpoints.put(name, ops.metricsUri());
        return ops;
    }

    private static SandboxServer startSandbox(int port, int mps, int opsPort) {
        SandboxConfig.Builder config = SandboxConfig.defaults().toBuilder().clearNumbers().opsPort(opsPort);
        SandboxConfig.defaults().numbers().forEach(n -> config.number(n.withMps(mps)));
        try {
            return SandboxServer.start(config.port(port).build());
        } catch (RuntimeException portTaken) {
            if (port == 0) {
                throw portTaken;
            }
            return SandboxServer.start(config.port(0).build());
        }
    }

    /**
     * Two channels, one per provider, paced at the sandbox's limit × the default headroom; each names its
     * sandbox number's business account ({@code waba_id}: the sandbox's numbers belong to accounts of their own
     * ids), whose template catalogue the upload worker lists when {@code templates.accounts} asks for it.
     */
    static ChannelRegistry registry(SandboxServer sandbox, int mps) {
        URI base = URI.create(sandbox.baseUrl());
        double headroom = Channel.defaultHeadroom(mps);
        int burst = Channel.defaultBurst(mps, headroom);
        return ChannelRegistry.of(List.of(
                new Channel(D360_CHANNEL, ApiEndpoint.d360(base, Secret.of(SandboxConfig.DEMO_D360_API_KEY)),
                        SandboxConfig.DEMO_D360_NUMBER_ID, 0, mps, headroom, burst, Channel.DEFAULT_UPLOAD_RATE),
                new Channel(META_CHANNEL, ApiEndpoint.meta(base, ApiEndpoint.DEFAULT_META_API_VERSION,
                        SandboxConfig.DEMO_META_NUMBER_ID, Secret.of(SandboxConfig.DEMO_META_ACCESS_TOKEN)),
                        SandboxConfig.DEMO_META_NUMBER_ID, 1, mps, headroom, burst, Channel.DEFAULT_UPLOAD_RATE)));
    }

    private void createTopics(int partitions) throws TopicException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Topics.create(admin, topics.specs(partitions), (short) 1);
        }
    }

    private Map<String, String> workerValues(DemoOptions options, int opsPort) {
        Map<String, String> values = new HashMap<>(topics.asConfig());
        values.put("ops.host", "127.0.0.1");
        values.put("ops.port", Integer.toString(opsPort));
        values.putAll(options.workerOverrides());
        values.put("bootstrap.servers", bootstrap);
        values.put("media.allow", "127.0.0.0/8");
        values.put("spool.dir", workDir.resolve("spool").toString());
        values.putIfAbsent("shutdown.drain.timeout.ms", "10000");
        // The demo sends media and texts to made-up numbers that never wrote to it: no 24-hour window to check.
        values.putIfAbsent("policy.window.enforce", "false");
        return values;
    }

    /**
     * A working directory under {@code ~/.cache/wabatch} (or {@code $XDG_CACHE_HOME}), deleted at the end: not under
     * the OS temp directory, which Kafka Streams warns about for its state (the OS may clear it).
     */
    private static Path createWorkDir() {
        try {
            String cache = System.getenv("XDG_CACHE_HOME");
            Path base = (cache != null && !cache.isBlank() ? Path.of(cache)
                    : Path.of(System.getProperty("user.home"), ".cache")).resolve("wabatch");
            return Files.createTempDirectory(Files.createDirectories(base), "demo-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a working directory", e);
        }
    }

    public String bootstrap() {
        return bootstrap;
    }

    public TopicNames topics() {
        return topics;
    }

    public SandboxServer sandbox() {
        return sandbox;
    }

    public MediaOrigin origin() {
        return origin;
    }

    public ChannelRegistry registry() {
        return registry;
    }

    public UploadWorker uploadWorker() {
        return uploadWorker;
    }

    public WebhookReceiver webhookReceiver() {
        return webhookReceiver;
    }

    /**
     * The sandbox's webhook settings for this stack's receiver (its URL and the demo's random app secret)
     * with {@code extra} JSON fields ({@code "\"failed_share\":0"}), e.g. for a test's own failure plan.
     */
    public String webhookSettings(String extra) {
        return "{\"url\":\"http://127.0.0.1:" + webhookReceiver.port() + "/webhook\",\"app_secret\":\""
                + webhookSecret + "\"" + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    public FunnelAggregator funnel() {
        return funnel;
    }

    public SenderWorker senderWorker() {
        return senderWorker;
    }

    /** The upload worker's meters (what its {@code /metrics} shows). */
    public PrometheusMeterRegistry uploadMeters() {
        return uploadMeters;
    }

    /** The sender worker's meters (what its {@code /metrics} shows). */
    public PrometheusMeterRegistry senderMeters() {
        return senderMeters;
    }

    /** The URL of every {@code /metrics} endpoint started: upload-worker, sender-worker, sandbox, in that order. */
    public Map<String, URI> metricsEndpoints() {
        return java.util.Collections.unmodifiableMap(metricsEndpoints);
    }

    /** Stops the workers first (they drain and commit), then the sandbox, origin and broker. */
    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        resources.clear();
        if (workDir != null) {
            deleteTree(workDir);
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
