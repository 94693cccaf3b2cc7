package io.wabatch.common.config;

import io.wabatch.common.kafka.DeferTiers;
import io.wabatch.common.kafka.KafkaSettings;
import io.wabatch.common.kafka.TopicNames;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * What every service's configuration has: the Kafka cluster, the metrics and health endpoint, and
 * the names of the topics it uses, typed and validated by Kafka's {@link ConfigDef}: a bad value
 * fails start-up with a message naming the key, the value and the reason. Each service declares
 * exactly the keys it reads, built from the blocks below ({@link #base}, {@link #withGroup},
 * {@link #withTopics}, and {@link LoopWorkerConfig}'s for the workers that consume and call the API).
 * Kafka client properties pass through with the {@code kafka.} prefix ({@code kafka.security.protocol=SSL}).
 * Values are never logged, so secrets in pass-through properties stay out of logs.
 */
public abstract class WorkerConfig extends AbstractConfig implements KafkaSettings {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String GROUP_ID = "group.id";
    public static final String TOPICS_CHECK = "topics.check";
    public static final String OPS_HOST = "ops.host";
    public static final String OPS_PORT = "ops.port";
    public static final String DEFER_TIERS = "defer.tiers";
    public static final String KAFKA_PREFIX = "kafka.";

    /** @throws ConfigException when a value is invalid */
    protected WorkerConfig(ConfigDef definition, Map<String, ?> values) {
        super(definition, values, false);
        String passedThrough = KAFKA_PREFIX + ProducerConfig.TRANSACTIONAL_ID_CONFIG;
        if (originals().containsKey(passedThrough)) {
            throw new ConfigException(passedThrough, originals().get(passedThrough), "set "
                    + LoopWorkerConfig.TRANSACTIONAL_ID + " instead: only the consume loop's producer may be "
                    + "transactional, and only in workers that define that key");
        }
    }

    /**
     * The keys of every service: the Kafka cluster, whether to check the topics, and the metrics and
     * health endpoint on {@code opsPort} by default (each service has its own, so all can share a host).
     */
    protected static ConfigDef base(int opsPort) {
        return new ConfigDef()
                .define(BOOTSTRAP_SERVERS, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                        Importance.HIGH, "Kafka bootstrap servers, host:port[,host:port...].")
                .define(TOPICS_CHECK, Type.BOOLEAN, true, Importance.LOW,
                        "Check at start-up that the topics this service uses exist with the right cleanup policy and "
                                + "partition counts, and refuse to start otherwise.")
                .define(OPS_HOST, Type.STRING, "0.0.0.0", new ConfigDef.NonEmptyString(), Importance.LOW,
                        "Address the metrics and health endpoint binds (/metrics, /health/live, /health/ready).")
                .define(OPS_PORT, Type.INT, opsPort, Range.between(0, 65535), Importance.MEDIUM,
                        "TCP port of the metrics and health endpoint: GET /metrics (Prometheus text format), "
                                + "/health/live and /health/ready (200 or 503 with a JSON body). 0 picks a free port. "
                                + "Each service has its own default (upload " + ServicePorts.UPLOAD + ", sender "
                                + ServicePorts.SENDER + ", webhook receiver " + ServicePorts.WEBHOOK + ", funnel "
                                + ServicePorts.FUNNEL + ") so all can run on one host.");
    }

    /** Adds {@link #GROUP_ID}, the service's consumer group (or Streams application id) {@code groupId}. */
    protected static ConfigDef withGroup(ConfigDef definition, String groupId) {
        return definition.define(GROUP_ID, Type.STRING, groupId, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                "Kafka consumer group of this service (for the funnel, its Kafka Streams application id). All "
                        + "instances of one service share it.");
    }

    /** Adds the name keys of the topics the service uses; {@link TopicKey#DEFERRED} brings {@link #DEFER_TIERS}. */
    protected static ConfigDef withTopics(ConfigDef definition, TopicKey... topics) {
        TopicNames defaults = TopicNames.defaults();
        for (TopicKey topic : topics) {
            definition.define(topic.key(), Type.STRING, topic.of(defaults), new ConfigDef.NonEmptyString(),
                    Importance.LOW, topic.doc());
            if (topic == TopicKey.DEFERRED) {
                definition.define(DEFER_TIERS, Type.LIST, defaults.deferTiers().labels(), new TiersValidator(),
                        Importance.LOW, "Delays of the deferred topics, ascending (units ms, s, m, h, d). A job that "
                                + "must wait longer than the shortest (a not_before in the future, a long backoff) "
                                + "leaves the in-flight window for the tier topic of the longest delay not above its "
                                + "wait and hops down the tiers until it is due; shorter waits stay in memory. Every "
                                + "service and 'wabatch topics create' must agree on it.");
            }
        }
        return definition;
    }

    @Override
    public String bootstrapServers() {
        return getString(BOOTSTRAP_SERVERS);
    }

    /** The consumer group; only for services {@linkplain #withGroup defined with one}. */
    @Override
    public String groupId() {
        return getString(GROUP_ID);
    }

    public boolean checkTopics() {
        return getBoolean(TOPICS_CHECK);
    }

    public String opsHost() {
        return getString(OPS_HOST);
    }

    public int opsPort() {
        return getInt(OPS_PORT);
    }

    /** The topic names: configured for the topics this service declares, the defaults for the others. */
    public TopicNames topics() {
        TopicNames defaults = TopicNames.defaults();
        DeferTiers tiers = values().containsKey(DEFER_TIERS) ? DeferTiers.parse(getList(DEFER_TIERS))
                : defaults.deferTiers();
        return new TopicNames(name(TopicKey.JOBS, defaults), name(TopicKey.READY, defaults),
                name(TopicKey.DEFERRED, defaults), name(TopicKey.RESULTS, defaults), name(TopicKey.DLQ, defaults),
                name(TopicKey.STATUS, defaults), name(TopicKey.INBOUND, defaults),
                name(TopicKey.MEDIA_CACHE, defaults), name(TopicKey.CONTROL, defaults),
                name(TopicKey.LEDGER, defaults), name(TopicKey.FUNNEL, defaults), name(TopicKey.OPTOUTS, defaults),
                name(TopicKey.TEMPLATES, defaults), name(TopicKey.IDENTITIES, defaults),
                name(TopicKey.PORTFOLIO_CLAIMS, defaults), name(TopicKey.PLATFORM_EVENTS, defaults),
                name(TopicKey.UNPARSED_WEBHOOKS, defaults), tiers);
    }

    private String name(TopicKey topic, TopicNames defaults) {
        return values().containsKey(topic.key()) ? getString(topic.key()) : topic.of(defaults);
    }

    /** Kafka client properties given with the {@code kafka.} prefix, prefix removed. */
    @Override
    public Map<String, Object> kafkaProperties() {
        return new HashMap<>(originalsWithPrefix(KAFKA_PREFIX));
    }

    /** Checks {@value #DEFER_TIERS}: ascending delays with units. */
    private static final class TiersValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                @SuppressWarnings("unchecked")
                List<String> labels = (List<String>) value;
                DeferTiers.parse(labels);
            } catch (RuntimeException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "ascending delays, e.g. 1m,10m,1h,6h";
        }
    }
}
