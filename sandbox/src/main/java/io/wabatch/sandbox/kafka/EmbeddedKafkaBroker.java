package io.wabatch.sandbox.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka 4.3 broker (KRaft, broker and controller in one) running in this JVM on
 * loopback, for tests, benchmarks and the demo. It wraps Kafka's internal server API, which is why the
 * Kafka version is pinned.
 *
 * <p>The broker can be stopped and restarted on the same ports and data directory (fault tests stop
 * it mid-campaign). Topics are never auto-created; create them explicitly and wait with
 * {@link #awaitTopicReady}. All methods are thread-safe; {@code start}, {@link #restart} and
 * {@link #stop} block until the broker is up or down.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final BrokerOptions options;
    private final LoopbackPorts.Choice ports;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private KafkaRaftServer server;
    private boolean closed;

    private EmbeddedKafkaBroker(BrokerOptions options, LoopbackPorts.Choice ports, Path dataDir, boolean ownsDataDir) {
        this.options = options;
        this.ports = ports;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
    }

    /** Starts a broker with {@link BrokerOptions#defaults()}. */
    public static EmbeddedKafkaBroker start() {
        return start(BrokerOptions.defaults());
    }

    /**
     * Starts a broker and returns once it answers DescribeCluster. A data dir that is not yet formatted
     * is formatted for a new cluster first. When start-up fails, everything started is shut down and a
     * temporary data dir is deleted.
     *
     * @throws IllegalStateException when a requested port is taken (without fallback) or the broker does
     *                               not start within {@link BrokerOptions#startTimeout()}
     */
    public static EmbeddedKafkaBroker start(BrokerOptions options) {
        ExitGuard.install();
        boolean owns = options.dataDir() == null;
        Path dir = owns ? createTempDir() : createDirs(options.dataDir());
        try {
            LoopbackPorts.Choice ports = LoopbackPorts.choose(options.host(), options.brokerPort(),
                    options.controllerPort(), options.fallbackToFreePort());
            if (ports.fellBack()) {
                LOG.warn("Requested Kafka port {} (controller {}) is taken; the broker listens on {}:{} (controller {})",
                        options.brokerPort(), options.controllerPort(), options.host(), ports.broker(),
                        ports.controller());
            }
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(options, ports, dir, owns);
            broker.restart();
            return broker;
        } catch (RuntimeException | Error e) {
            if (owns) {
                BrokerStorage.deleteRecursively(dir);
            }
            throw e;
        }
    }

    /** The address clients use: {@code 127.0.0.1:PORT}; the same after a restart. */
    public String bootstrapServers() {
        return options.host() + ":" + ports.broker();
    }

    /** The client (PLAINTEXT) port. */
    public int port() {
        return ports.broker();
    }

    /** The KRaft controller port (clients never need it). */
    public int controllerPort() {
        return ports.controller();
    }

    /** Whether a requested port was taken and a free port is used instead (see {@link BrokerOptions#preferredPort}). */
    public boolean portFallback() {
        return ports.fellBack();
    }

    /** The log directory (also holding the KRaft metadata log). */
    public Path dataDir() {
        return dataDir;
    }

    /** Whether the broker is running (started and not stopped). */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Shuts the broker down and waits until it is down; keeps the data. Does nothing if it is not running. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        long begin = System.nanoTime();
        shutdown(server);
        server = null;
        LOG.info("Kafka broker {} stopped in {} ms", bootstrapServers(), elapsedMillis(begin));
    }

    /**
     * Starts the broker again on the same ports and data dir (stopping it first if it runs), so clients
     * reconnect to the same address and find the same topics, records and committed offsets.
     *
     * @throws IllegalStateException when the broker is closed, a port was taken meanwhile, or it does
     *                               not start in time
     */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("Kafka broker " + bootstrapServers() + " is closed");
        }
        stop();
        long begin = System.nanoTime();
        KafkaRaftServer started = null;
        try {
            KafkaConfig config = KafkaConfig.fromProps(
                    BrokerProperties.of(options.host(), ports, dataDir, options.brokerProperties()), false);
            BrokerStorage.formatIfNeeded(dataDir);
            started = new KafkaRaftServer(config, Time.SYSTEM);
            started.startup();
            awaitClusterAnswers(options.startTimeout());
        } catch (RuntimeException e) {
            if (started != null) {
                shutdownQuietly(started);
            }
            throw new IllegalStateException("Kafka broker failed to start on " + bootstrapServers()
                    + " (controller port " + ports.controller() + ", data dir " + dataDir + "): " + e.getMessage(), e);
        }
        server = started;
        LOG.info("Kafka broker ready on {} in {} ms (data dir {})", bootstrapServers(), elapsedMillis(begin), dataDir);
    }

    /**
     * Waits until ListOffsets answers for every partition of {@code topic}; call it after creating a topic
     * and before producing to it. See {@link TopicReadiness}.
     */
    public void awaitTopicReady(String topic, Duration timeout) {
        try (Admin admin = Admin.create(adminConfig(timeout))) {
            TopicReadiness.await(admin, topic, timeout);
        }
    }

    /** Stops the broker and deletes the data dir if it is a temporary one this broker created. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            stop();
        } finally {
            closed = true;
            if (ownsDataDir) {
                BrokerStorage.deleteRecursively(dataDir);
            }
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker[" + bootstrapServers() + ", dataDir=" + dataDir + "]";
    }

    private void awaitClusterAnswers(Duration timeout) {
        try (Admin admin = Admin.create(adminConfig(timeout))) {
            int timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            var nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
                    .nodes()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (nodes.isEmpty()) {
                throw new IllegalStateException("DescribeCluster answered without nodes");
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("broker did not answer DescribeCluster within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        }
    }

    private Map<String, Object> adminConfig(Duration timeout) {
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        return Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 30_000));
    }

    private static void shutdown(KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            shutdown(server);
        } catch (RuntimeException e) {
            LOG.warn("Shutting down a Kafka broker that failed to start failed too", e);
        }
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("wabatch-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary Kafka data dir", e);
        }
    }

    private static Path createDirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create Kafka data dir " + dir, e);
        }
    }

    private static long elapsedMillis(long beginNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - beginNanos);
    }
}
