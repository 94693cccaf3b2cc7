package io.wabatch.sender.config;

import io.wabatch.common.config.WorkerConfig;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** The sender worker's configuration: the shared keys plus retries. */
public final class SenderWorkerConfig extends WorkerConfig {

    public static final String SEND_MAX_ATTEMPTS = "send.max.attempts";
    public static final String SEND_RETRY_INITIAL_MS = "send.retry.initial.ms";
    public static final String SEND_RETRY_MAX_MS = "send.retry.max.ms";
    public static final String MAX_POLL_RECORDS = "max.poll.records";

    /** The definition, also rendered into the configuration reference. */
    public static final ConfigDef DEFINITION = common("wabatch-sender", 512, "Holds 1,000 mps at 300 ms API latency (Little's law: 300 in flight) with room for retries.")
            .define(SEND_MAX_ATTEMPTS, Type.INT, 5, Range.between(1, 100), Importance.MEDIUM,
                    "API calls per message before a retryable error becomes final (failed + DLQ).")
            .define(SEND_RETRY_INITIAL_MS, Type.LONG, 500L, Range.atLeast(1), Importance.LOW,
                    "First retry backoff in milliseconds; doubles per attempt, each wait drawn between half and all of it.")
            .define(SEND_RETRY_MAX_MS, Type.LONG, 30_000L, Range.atLeast(1), Importance.LOW,
                    "Cap of the retry backoff in milliseconds.")
            .define(MAX_POLL_RECORDS, Type.INT, 500, Range.between(1, 10_000), Importance.LOW,
                    "Ready jobs fetched per poll.");

    public SenderWorkerConfig(Map<String, ?> values) {
        super(DEFINITION, values);
    }

    public int maxAttempts() {
        return getInt(SEND_MAX_ATTEMPTS);
    }

    public Duration retryInitial() {
        return Duration.ofMillis(getLong(SEND_RETRY_INITIAL_MS));
    }

    public Duration retryMax() {
        return Duration.ofMillis(getLong(SEND_RETRY_MAX_MS));
    }

    public int maxPollRecords() {
        return getInt(MAX_POLL_RECORDS);
    }
}
