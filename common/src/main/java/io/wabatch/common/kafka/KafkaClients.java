package io.wabatch.common.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka clients with wabatch's defaults: durable idempotent producers (acks=all, lz4, a short
 * linger so sends batch), consumers that commit by hand and read only committed records.
 * Pass-through properties ({@code kafka.*}) override the defaults; {@code extra} overrides both.
 */
public final class KafkaClients {

    /**
     * The transactional producer's default {@code transaction.timeout.ms} (Kafka's is 60 s): how long an open
     * transaction of a dead instance holds back {@code read_committed} consumers of its output, unless its
     * successor has the same {@code transactional.id}. The consume loop commits every 200 ms, also while
     * draining, so 10 s leave ample room for slow commits.
     */
    public static final int DEFAULT_TRANSACTION_TIMEOUT_MS = 10_000;

    private KafkaClients() {
    }

    /** A byte-array producer, not transactional. */
    public static KafkaProducer<byte[], byte[]> producer(KafkaSettings config, String clientId, Map<String, Object> extra) {
        return new KafkaProducer<>(producerProperties(config, clientId, Map.of(), extra), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /**
     * A byte-array producer with {@code transactionalId}, for a transactional consume loop only: its
     * {@code transaction.timeout.ms} is {@value #DEFAULT_TRANSACTION_TIMEOUT_MS} unless
     * {@code kafka.transaction.timeout.ms} says otherwise, and it has one produce request in flight per broker
     * unless {@code kafka.max.in.flight.requests.per.connection} says otherwise.
     */
    public static KafkaProducer<byte[], byte[]> transactionalProducer(KafkaSettings config, String clientId,
                                                                     String transactionalId, Map<String, Object> extra) {
        // One request in flight, against a Kafka defect: KAFKA-15591 (also filed as KAFKA-14312 and KAFKA-19880;
        // its idempotent-producer form is pitfall 3 of reference/pipeline-measurements.md). With transactions v2
        // the broker adds a partition to the transaction on the transaction's first produce to it. While the
        // previous transaction's commit is still completing for longer than the broker waits
        // (add.partitions.to.txn.retry.backoff.max.ms, 100 ms by default; a fresh broker's first commit, a loaded
        // machine), that produce is refused with the retriable CONCURRENT_TRANSACTIONS, and each produce pipelined
        // behind it to the same partition is refused too: the broker logs at ERROR "OutOfOrderSequenceException:
        // Invalid sequence number for producer ... Expected sequence 0 for transactions v2 idempotent producer
        // with no existing state." (the check of KAFKA-18202) and the client logs a WARN per partition. The
        // client retries them all, so the output stays exactly once, but it resends whole bursts. With one
        // request in flight nothing is pipelined behind the refused produce (TransactionBoundaryIT).
        Map<String, Object> defaults = Map.of(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, DEFAULT_TRANSACTION_TIMEOUT_MS,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        Map<String, Object> props = producerProperties(config, clientId, defaults, extra);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static Map<String, Object> producerProperties(KafkaSettings config, String clientId,
                                                          Map<String, Object> defaults, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // a dead letter carries a whole jobs record plus headers: let the producer send it
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicNames.DLQ_MAX_MESSAGE_BYTES);
        props.putAll(defaults);
        props.putAll(config.kafkaProperties());
        props.putAll(extra);
        return props;
    }

    /** A byte-array consumer in the worker's group that never auto-commits. */
    public static KafkaConsumer<byte[], byte[]> consumer(KafkaSettings config, String clientId, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putAll(config.kafkaProperties());
        props.putAll(extra);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * A byte-array consumer outside any group (assigned by hand), never committing, reading committed
     * records only: for followers that read a topic whole (control, opt-outs, the funnel).
     */
    public static KafkaConsumer<byte[], byte[]> reader(Map<String, Object> clientProperties) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Admin client properties for the worker's cluster. */
    public static Map<String, Object> adminProperties(KafkaSettings config) {
        Map<String, Object> props = new HashMap<>(config.kafkaProperties());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.keySet().removeIf(k -> k.startsWith("producer.") || k.startsWith("consumer."));
        return props;
    }
}
