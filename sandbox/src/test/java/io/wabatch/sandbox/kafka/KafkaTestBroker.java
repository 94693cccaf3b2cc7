package io.wabatch.sandbox.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka broker of integration tests: one shared broker per test JVM, started on first use, chosen as
 * <ol>
 *   <li>an external broker when {@code -Dkafka.bootstrap=host:port} is non-blank;</li>
 *   <li>a Testcontainers Kafka container when {@code -Dkafka.broker=testcontainers} (fails with a clear
 *       message when there is no Docker engine: it never silently falls back);</li>
 *   <li>otherwise the in-process {@link EmbeddedKafkaBroker}, stopped (and its temporary data dir deleted)
 *       by a JVM shutdown hook; surefire and failsafe end their forked JVMs with {@code System.exit}, which
 *       runs it (the broker's threads would keep a plain {@code main} alive).</li>
 * </ol>
 * Give each test its own topics ({@link #uniqueTopic}) and create them with {@link #createTopic}, which
 * waits until they are ready. Only the embedded broker can be stopped and restarted ({@link #embedded()}).
 * Thread-safe.
 */
public final class KafkaTestBroker {

    /** System property naming an external broker's bootstrap address. */
    public static final String BOOTSTRAP_PROPERTY = "kafka.bootstrap";
    /** System property choosing {@code embedded} (default) or {@code testcontainers}. */
    public static final String MODE_PROPERTY = "kafka.broker";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTestBroker.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final AtomicLong TOPIC_COUNTER = new AtomicLong();

    private static BrokerHandle broker;
    private static SharedAdmin admin;
    private static RuntimeException startFailure;

    private KafkaTestBroker() {
    }

    /** The shared broker's bootstrap address, starting the broker on first use. */
    public static String bootstrapServers() {
        return shared().bootstrapServers();
    }

    /**
     * The in-process broker, present only in embedded mode, the only mode fault tests can stop and restart
     * ({@code assumeTrue(KafkaTestBroker.embedded().isPresent(), ...)}). Other tests share it: a test that
     * stops it must {@link EmbeddedKafkaBroker#restart() restart} it in a {@code finally} block.
     */
    public static Optional<EmbeddedKafkaBroker> embedded() {
        return shared().embedded();
    }

    /** A topic name no other test uses: the sanitised {@code prefix}, a counter and a random suffix. */
    public static String uniqueTopic(String prefix) {
        String clean = prefix.replaceAll("[^a-zA-Z0-9._-]", "-");
        String base = clean.length() > 200 ? clean.substring(0, 200) : clean;
        return base + "-" + TOPIC_COUNTER.incrementAndGet() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0x1000000));
    }

    /**
     * The shared Admin client of the shared broker. Do not rely on closing it: {@code close()} is ignored
     * and the fixture closes it at JVM exit.
     */
    public static synchronized Admin admin() {
        if (admin == null) {
            admin = new SharedAdmin(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                    AdminClientConfig.CLIENT_ID_CONFIG, "kafka-test-broker-admin"));
        }
        return admin;
    }

    /**
     * Creates a topic with the broker's default replication factor and waits until every partition
     * answers ListOffsets, so producing right away is safe.
     *
     * @param configs topic configs such as {@code retention.ms}; may be empty
     * @throws IllegalStateException when creation fails or the topic is not ready within 30 s
     */
    public static void createTopic(String name, int partitions, Map<String, String> configs) {
        NewTopic topic = new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs);
        try {
            admin().createTopics(List.of(topic)).all().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot create topic " + name + ": " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Topic " + name + " not created within " + READY_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        }
        TopicReadiness.await(admin(), name, READY_TIMEOUT);
    }

    /** {@link #createTopic(String, int, Map)} without topic configs. */
    public static void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    private static synchronized BrokerHandle shared() {
        if (broker != null) {
            return broker;
        }
        if (startFailure != null) {
            throw new IllegalStateException("The shared test broker failed to start earlier: "
                    + startFailure.getMessage(), startFailure);
        }
        try {
            broker = startBroker();
        } catch (RuntimeException e) {
            startFailure = e;
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(KafkaTestBroker::release, "kafka-test-broker-shutdown"));
        LOG.info("Shared test Kafka broker ({}) at {}", broker.mode(), broker.bootstrapServers());
        return broker;
    }

    private static BrokerHandle startBroker() {
        String bootstrap = System.getProperty(BOOTSTRAP_PROPERTY);
        return switch (BrokerMode.select(bootstrap, System.getProperty(MODE_PROPERTY))) {
            case EXTERNAL -> BrokerHandle.external(bootstrap);
            case TESTCONTAINERS -> startTestcontainers();
            case EMBEDDED -> BrokerHandle.embedded(EmbeddedKafkaBroker.start());
        };
    }

    private static BrokerHandle startTestcontainers() {
        try {
            return TestcontainersKafka.start();
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException("-D" + MODE_PROPERTY + "=testcontainers needs "
                    + "org.testcontainers:testcontainers-kafka on the test classpath", e);
        }
    }

    private static synchronized void release() {
        if (admin != null) {
            admin.closeShared(Duration.ofSeconds(5));
        }
        broker.close();
    }
}
