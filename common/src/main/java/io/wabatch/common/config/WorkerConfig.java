package io.wabatch.common.config;

import io.wabatch.common.kafka.DeferTiers;
import io.wabatch.common.kafka.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The configuration every worker shares, typed and validated by Kafka's {@link ConfigDef}: a bad
 * value fails start-up with a message naming the key, the value and the reason. Kafka client
 * properties pass through with the {@code kafka.} prefix ({@code kafka.security.protocol=SSL}).
 * Values are never logged, so secrets in pass-through properties stay out of logs.
 */
public abstract class WorkerConfig extends AbstractConfig {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String CHANNELS_FILE = "channels.file";
    public static final String GROUP_ID = "group.id";
    public static final String TOPICS_CHECK = "topics.check";
    public static final String HTTP_MAX_CONNECTIONS = "http.max.connections";
    public static final String HTTP_MAX_WAIT_QUEUE = "http.max.wait.queue";
    public static final String HTTP_CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
    public static final String HTTP_REQUEST_TIMEOUT_MS = "http.request.timeout.ms";
    public static final String SHUTDOWN_DRAIN_TIMEOUT_MS = "shutdown.drain.timeout.ms";
    public static final String WINDOW = "window.records";
    public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";
    public static final String DEFER_TIERS = "defer.tiers";
    public static final String TRANSACTIONAL_ID = "transactional.id";
    public static final String OPS_HOST = "ops.host";
    public static final String OPS_PORT = "ops.port";
    /** {@link #OPS_PORT}'s default for the upload worker; the sender's is the next port. */
    public static final int UPLOAD_OPS_PORT = 9401;
    public static final int SENDER_OPS_PORT = 9402;
    public static final String KAFKA_PREFIX = "kafka.";
    private static final String TOPIC_PREFIX = "topic.";

    /** Makes the default {@link #transactionalId()} unique to this process, and stable for its life. */
    private final String instanceSuffix = UUID.randomUUID().toString().substring(0, 8);

    /** @throws ConfigException when a value is invalid */
    protected WorkerConfig(ConfigDef definition, Map<String, ?> values) {
        super(definition, values, false);
        String passedThrough = KAFKA_PREFIX + ProducerConfig.TRANSACTIONAL_ID_CONFIG;
        if (originals().containsKey(passedThrough)) {
            throw new ConfigException(passedThrough, originals().get(passedThrough), "set " + TRANSACTIONAL_ID
                    + " instead: only the consume loop's producer may be transactional, and only in workers that "
                    + "define that key");
        }
    }

    /**
     * Adds {@link #TRANSACTIONAL_ID} to the definition of a worker whose consume loop runs in Kafka
     * transactions; read it with {@link #transactionalId()}.
     */
    protected static ConfigDef withTransactionalId(ConfigDef definition) {
        return definition.define(TRANSACTIONAL_ID, Type.STRING, "", Importance.MEDIUM,
                "The transactional.id of the producer whose Kafka transactions carry this worker's output together "
                        + "with its consumer offsets. Empty: <group.id>-<8 random hex digits>, new at every start. "
                        + "That is safe however instances are deployed, but when an instance dies, its open "
                        + "transaction holds back the consumers of its output (read_committed) until "
                        + "kafka.transaction.timeout.ms has passed (10000 ms unless set). A stable id per instance "
                        + "(e.g. wabatch-upload-0, a StatefulSet pod's name) lets the restarted instance abort that "
                        + "transaction at once, fencing its predecessor should it still be alive; it must never be "
                        + "shared by two instances running at the same time, or each fences the other and stops.");
    }

    /**
     * Adds the shared keys to a worker's definition; {@code groupId} is the worker's default group,
     * {@code opsPort} the default port of its metrics and health endpoint.
     */
    protected static ConfigDef common(String groupId, int window, String windowWhy, int opsPort) {
        TopicNames defaults = TopicNames.defaults();
        return new ConfigDef()
                .define(OPS_HOST, Type.STRING, "0.0.0.0", new ConfigDef.NonEmptyString(), Importance.LOW,
                        "Address the metrics and health endpoint binds (/metrics, /health/live, /health/ready).")
                .define(OPS_PORT, Type.INT, opsPort, Range.between(0, 65535), Importance.MEDIUM,
                        "TCP port of the metrics and health endpoint: GET /metrics (Prometheus text format), "
                                + "/health/live and /health/ready (200 or 503 with a JSON body). 0 picks a free port. "
                                + "The defaults differ per worker (upload " + UPLOAD_OPS_PORT + ", sender "
                                + SENDER_OPS_PORT + ") so both can run on one host.")
                .define(WINDOW, Type.INT, window, Range.between(1, 100_000), Importance.MEDIUM,
                        "Records in flight at once across this worker's partitions (each partition's records run "
                                + "concurrently; only records sharing a recipient wait for each other). " + windowWhy)
                .define(COMMIT_INTERVAL_MS, Type.LONG, 200L, Range.atLeast(1), Importance.LOW,
                        "How often offsets below the lowest unfinished record are committed, in milliseconds.")
                .define(BOOTSTRAP_SERVERS, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                        Importance.HIGH, "Kafka bootstrap servers, host:port[,host:port...].")
                .define(CHANNELS_FILE, Type.STRING, "channels.yaml", new ConfigDef.NonEmptyString(), Importance.HIGH,
                        "Path of the channel registry file (YAML): each channel's provider, base URL, credential "
                                + "reference, partition and pace.")
                .define(GROUP_ID, Type.STRING, groupId, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Kafka consumer group of this worker. All instances of one worker share it.")
                .define(TOPICS_CHECK, Type.BOOLEAN, true, Importance.LOW,
                        "Check at start-up that the topics exist with the right cleanup policy and partition counts, "
                                + "and refuse to start otherwise.")
                .define(HTTP_MAX_CONNECTIONS, Type.INT, 256, Range.atLeast(1), Importance.MEDIUM,
                        "HTTP/1.1 connections per API host. Size it to the requests in flight "
                                + "(Vert.x's default of 5 would cap a sender at 5 / latency).")
                .define(HTTP_MAX_WAIT_QUEUE, Type.INT, 4096, Range.atLeast(1), Importance.LOW,
                        "Requests that may wait for a free connection before new ones fail fast.")
                .define(HTTP_CONNECT_TIMEOUT_MS, Type.LONG, 5_000L, Range.atLeast(1), Importance.LOW,
                        "TCP connect timeout for API and media requests, in milliseconds.")
                .define(HTTP_REQUEST_TIMEOUT_MS, Type.LONG, 30_000L, Range.atLeast(1), Importance.MEDIUM,
                        "Timeout of one API call (send, media info) in milliseconds; uploads have their own.")
                .define(SHUTDOWN_DRAIN_TIMEOUT_MS, Type.LONG, 30_000L, Range.atLeast(0), Importance.MEDIUM,
                        "On shutdown or partition revocation, how long in-flight work may take to finish "
                                + "before its records are left for redelivery, in milliseconds.")
                .define(TOPIC_PREFIX + "jobs", Type.STRING, defaults.jobs(), Importance.LOW, "Campaign jobs topic.")
                .define(TOPIC_PREFIX + "ready", Type.STRING, defaults.ready(), Importance.LOW,
                        "Ready jobs topic (media ids in place, one recipient each), partitioned by channel.")
                .define(TOPIC_PREFIX + "deferred", Type.STRING, defaults.deferred(), Importance.LOW,
                        "Base name of the deferred jobs topics (long waits), one per defer tier: "
                                + "`<base>.<delay>`, e.g. " + defaults.deferredTopics().get(0) + "; partitioned by channel.")
                .define(DEFER_TIERS, Type.LIST, defaults.deferTiers().labels(), new TiersValidator(), Importance.LOW,
                        "Delays of the deferred topics, ascending (units ms, s, m, h, d). A job that must wait longer "
                                + "than the shortest (a not_before in the future, a long backoff) leaves the in-flight "
                                + "window for the tier topic of the longest delay not above its wait and hops down the "
                                + "tiers until it is due; shorter waits stay in memory. Every worker and "
                                + "'wabatch topics create' must agree on it.")
                .define(TOPIC_PREFIX + "results", Type.STRING, defaults.results(), Importance.LOW,
                        "Results topic: one final outcome per message, partitioned by channel.")
                .define(TOPIC_PREFIX + "dlq", Type.STRING, defaults.dlq(), Importance.LOW,
                        "Dead-letter topic: records that could not be processed, with the reason in headers.")
                .define(TOPIC_PREFIX + "status", Type.STRING, defaults.status(), Importance.LOW, "Status webhooks topic.")
                .define(TOPIC_PREFIX + "inbound", Type.STRING, defaults.inbound(), Importance.LOW, "Inbound messages topic.")
                .define(TOPIC_PREFIX + "media.cache", Type.STRING, defaults.mediaCache(), Importance.LOW,
                        "Compacted media-id cache topic.")
                .define(TOPIC_PREFIX + "control", Type.STRING, defaults.control(), Importance.LOW,
                        "Compacted control topic (channel and campaign commands).")
                .define(TOPIC_PREFIX + "ledger", Type.STRING, defaults.ledger(), Importance.LOW,
                        "Send ledger topic: each API call's attempt and outcome, partitioned by channel.")
                .define(TOPIC_PREFIX + "funnel", Type.STRING, defaults.funnel(), Importance.LOW,
                        "Compacted campaign funnel topic: the funnel aggregator's latest counts per campaign, read by "
                                + "'wabatch campaign status'.")
                .define(TOPIC_PREFIX + "optouts", Type.STRING, defaults.optOuts(), Importance.LOW,
                        "Compacted opt-out topic (key: the customer's number): who replied STOP or produced 131050, "
                                + "written by the funnel aggregator, followed by every sender.");
    }

    public String bootstrapServers() {
        return getString(BOOTSTRAP_SERVERS);
    }

    public Path channelsFile() {
        return Path.of(getString(CHANNELS_FILE));
    }

    public String groupId() {
        return getString(GROUP_ID);
    }

    public boolean checkTopics() {
        return getBoolean(TOPICS_CHECK);
    }

    public int httpMaxConnections() {
        return getInt(HTTP_MAX_CONNECTIONS);
    }

    public int httpMaxWaitQueue() {
        return getInt(HTTP_MAX_WAIT_QUEUE);
    }

    public Duration httpConnectTimeout() {
        return Duration.ofMillis(getLong(HTTP_CONNECT_TIMEOUT_MS));
    }

    public Duration httpRequestTimeout() {
        return Duration.ofMillis(getLong(HTTP_REQUEST_TIMEOUT_MS));
    }

    public String opsHost() {
        return getString(OPS_HOST);
    }

    public int opsPort() {
        return getInt(OPS_PORT);
    }

    public Duration drainTimeout() {
        return Duration.ofMillis(getLong(SHUTDOWN_DRAIN_TIMEOUT_MS));
    }

    /**
     * The consume loop producer's {@code transactional.id}: {@link #TRANSACTIONAL_ID}, or if empty
     * {@code <group.id>-<random>} (the same for the life of this configuration). Only for workers defined
     * {@linkplain #withTransactionalId with that key}.
     */
    public String transactionalId() {
        String configured = getString(TRANSACTIONAL_ID).strip();
        return configured.isEmpty() ? groupId() + "-" + instanceSuffix : configured;
    }

    /** The consume loop's window, drain timeout and commit interval (not transactional). */
    public io.wabatch.common.kafka.LoopOptions loopOptions() {
        return new io.wabatch.common.kafka.LoopOptions(getInt(WINDOW), drainTimeout(),
                Duration.ofMillis(getLong(COMMIT_INTERVAL_MS)));
    }

    /** HTTP client settings for the WhatsApp API; {@code uploadTimeout} is the worker's own. */
    public io.wabatch.common.api.ClientOptions clientOptions(Duration uploadTimeout) {
        return io.wabatch.common.api.ClientOptions.defaults()
                .withMaxConnections(httpMaxConnections())
                .withMaxWaitQueue(httpMaxWaitQueue())
                .withConnectTimeout(httpConnectTimeout())
                .withRequestTimeout(httpRequestTimeout())
                .withUploadTimeout(uploadTimeout);
    }

    public TopicNames topics() {
        return new TopicNames(getString("topic.jobs"), getString("topic.ready"), getString("topic.deferred"),
                getString("topic.results"), getString("topic.dlq"), getString("topic.status"),
                getString("topic.inbound"), getString("topic.media.cache"), getString("topic.control"),
                getString("topic.ledger"), getString("topic.funnel"), getString("topic.optouts"), DeferTiers.parse(getList(DEFER_TIERS)));
    }

    /** Kafka client properties given with the {@code kafka.} prefix, prefix removed. */
    public Map<String, Object> kafkaProperties() {
        return new HashMap<>(originalsWithPrefix(KAFKA_PREFIX));
    }

    /** Checks {@value #DEFER_TIERS}: ascending delays with units. */
    private static final class TiersValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                @SuppressWarnings("unchecked")
                java.util.List<String> labels = (java.util.List<String>) value;
                DeferTiers.parse(labels);
            } catch (RuntimeException e) {
                throw new org.apache.kafka.common.config.ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "ascending delays, e.g. 1m,10m,1h,6h";
        }
    }
}
