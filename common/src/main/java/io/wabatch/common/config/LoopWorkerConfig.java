package io.wabatch.common.config;

import io.wabatch.common.api.ClientOptions;
import io.wabatch.common.kafka.LoopOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The configuration of a worker that consumes in a {@link io.wabatch.common.kafka.ConsumeProduceLoop}
 * and calls the WhatsApp API for the channels of the registry: the upload worker and the sender. On
 * top of {@link WorkerConfig}'s keys: the channel registry, the HTTP client, the loop's window, commit
 * interval and drain timeout, and (for the transactional upload worker) the transactional id.
 */
public abstract class LoopWorkerConfig extends WorkerConfig {

    public static final String CHANNELS_FILE = "channels.file";
    public static final String HTTP_MAX_CONNECTIONS = "http.max.connections";
    public static final String HTTP_MAX_WAIT_QUEUE = "http.max.wait.queue";
    public static final String HTTP_CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
    public static final String HTTP_REQUEST_TIMEOUT_MS = "http.request.timeout.ms";
    public static final String SHUTDOWN_DRAIN_TIMEOUT_MS = "shutdown.drain.timeout.ms";
    public static final String WINDOW = "window.records";
    public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";
    public static final String TRANSACTIONAL_ID = "transactional.id";

    /** Makes the default {@link #transactionalId()} unique to this process, and stable for its life. */
    private final String instanceSuffix = UUID.randomUUID().toString().substring(0, 8);

    protected LoopWorkerConfig(ConfigDef definition, Map<String, ?> values) {
        super(definition, values);
    }

    /**
     * {@link WorkerConfig#base}, the group {@code groupId}, and the loop's keys: {@code window} records in
     * flight by default ({@code windowWhy} says why that many), the registry and the HTTP client.
     */
    protected static ConfigDef loopWorker(String groupId, int opsPort, int window, String windowWhy) {
        return withGroup(base(opsPort), groupId)
                .define(CHANNELS_FILE, Type.STRING, "channels.yaml", new ConfigDef.NonEmptyString(), Importance.HIGH,
                        "Path of the channel registry file (YAML): each channel's provider, base URL, credential "
                                + "reference, partition and pace.")
                .define(WINDOW, Type.INT, window, Range.between(1, 100_000), Importance.MEDIUM,
                        "Records in flight at once across this worker's partitions (each partition's records run "
                                + "concurrently; only records sharing a recipient wait for each other). " + windowWhy)
                .define(COMMIT_INTERVAL_MS, Type.LONG, 200L, Range.atLeast(1), Importance.LOW,
                        "How often offsets below the lowest unfinished record are committed, in milliseconds.")
                .define(SHUTDOWN_DRAIN_TIMEOUT_MS, Type.LONG, 30_000L, Range.atLeast(0), Importance.MEDIUM,
                        "On shutdown or partition revocation, how long in-flight work may take to finish "
                                + "before its records are left for redelivery, in milliseconds.")
                .define(HTTP_MAX_CONNECTIONS, Type.INT, 256, Range.atLeast(1), Importance.MEDIUM,
                        "HTTP/1.1 connections per API host. Size it to the requests in flight "
                                + "(Vert.x's default of 5 would cap a sender at 5 / latency).")
                .define(HTTP_MAX_WAIT_QUEUE, Type.INT, 4096, Range.atLeast(1), Importance.LOW,
                        "Requests that may wait for a free connection before new ones fail fast.")
                .define(HTTP_CONNECT_TIMEOUT_MS, Type.LONG, 5_000L, Range.atLeast(1), Importance.LOW,
                        "TCP connect timeout for API and media requests, in milliseconds.")
                .define(HTTP_REQUEST_TIMEOUT_MS, Type.LONG, 30_000L, Range.atLeast(1), Importance.MEDIUM,
                        "Timeout of one API call (send, media info) in milliseconds; uploads have their own.");
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

    public Path channelsFile() {
        return Path.of(getString(CHANNELS_FILE));
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
    public LoopOptions loopOptions() {
        return new LoopOptions(getInt(WINDOW), drainTimeout(), Duration.ofMillis(getLong(COMMIT_INTERVAL_MS)));
    }

    /** HTTP client settings for the WhatsApp API; {@code uploadTimeout} is the worker's own. */
    public ClientOptions clientOptions(Duration uploadTimeout) {
        return ClientOptions.defaults()
                .withMaxConnections(httpMaxConnections())
                .withMaxWaitQueue(httpMaxWaitQueue())
                .withConnectTimeout(httpConnectTimeout())
                .withRequestTimeout(httpRequestTimeout())
                .withUploadTimeout(uploadTimeout);
    }
}
