package io.wabatch.common.kafka;

import io.vertx.core.Future;
import io.wabatch.sandbox.kafka.KafkaTestBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Clients, inputs, outputs and group state for the loop's integration tests. */
final class LoopTestKit {

    private LoopTestKit() {
    }

    static KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * A transactional producer with the given id; a short {@code transaction.timeout.ms} so that a crashed
     * producer's open transaction is aborted soon.
     */
    static KafkaProducer<byte[], byte[]> transactionalProducer(String transactionalId, Duration transactionTimeout) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) transactionTimeout.toMillis());
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A consumer configured like the workers' (manual commits, read_committed). */
    static KafkaConsumer<byte[], byte[]> consumer(String group, int maxPollRecords, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        props.putAll(extra);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Writes {@code count} records per partition; record {@code i} of a partition has value {@code i}. */
    static void produceInputs(String topic, int partitions, int count, Function<Integer, String> key) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < count; i++) {
                for (int p = 0; p < partitions; p++) {
                    String k = key.apply(i);
                    producer.send(new ProducerRecord<>(topic, p, k == null ? null : utf8(k), utf8(Integer.toString(i))));
                }
            }
            producer.flush();
        }
    }

    /** Writes {@code count} unkeyed records to one partition; record {@code i} has value {@code i}. */
    static void produceInputs(String topic, int partition, int count) {
        produceToPartition(topic, partition, count, i -> null);
    }

    /** Writes {@code count} records to one partition; record {@code i} has value {@code i}. */
    static void produceToPartition(String topic, int partition, int count, Function<Integer, String> key) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < count; i++) {
                String k = key.apply(i);
                producer.send(new ProducerRecord<>(topic, partition, k == null ? null : utf8(k),
                        utf8(Integer.toString(i))));
            }
            producer.flush();
        }
    }

    /** Committed offsets of {@code group}, by partition number. */
    static Map<Integer, Long> committed(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = KafkaTestBroker.admin().listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<Integer, Long> byPartition = new HashMap<>();
        offsets.forEach((partition, offset) -> {
            if (offset != null) {
                byPartition.put(partition.partition(), offset.offset());
            }
        });
        return byPartition;
    }

    /** Committed offsets of {@code group} with their metadata, by partition number. */
    static Map<Integer, OffsetAndMetadata> committedWithMetadata(String group) throws Exception {
        Map<Integer, OffsetAndMetadata> byPartition = new HashMap<>();
        KafkaTestBroker.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                .forEach((partition, offset) -> {
                    if (offset != null) {
                        byPartition.put(partition.partition(), offset);
                    }
                });
        return byPartition;
    }

    /** The group's member ids. */
    static List<String> members(String group) throws Exception {
        ConsumerGroupDescription description = KafkaTestBroker.admin().describeConsumerGroups(List.of(group))
                .all().get().get(group);
        return description.members().stream().map(MemberDescription::consumerId).toList();
    }

    /** {@code partition:offset} of an input record: what the test handlers produce for it. */
    static String id(ConsumerRecord<byte[], byte[]> record) {
        return record.partition() + ":" + record.offset();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * A handler whose work per record the test decides; the output is one record to {@code outTopic}
     * with the input's key and its {@link #id}. Records every call.
     */
    static final class ScriptedHandler implements RecordHandler {

        final ConcurrentLinkedQueue<String> calls = new ConcurrentLinkedQueue<>();
        private final String outTopic;
        private final Function<ConsumerRecord<byte[], byte[]>, Future<?>> work;
        private final Function<ConsumerRecord<byte[], byte[]>, Collection<String>> keys;

        ScriptedHandler(String outTopic, Function<ConsumerRecord<byte[], byte[]>, Future<?>> work,
                        Function<ConsumerRecord<byte[], byte[]>, Collection<String>> keys) {
            this.outTopic = outTopic;
            this.work = work;
            this.keys = keys;
        }

        @Override
        public Collection<String> orderingKeys(ConsumerRecord<byte[], byte[]> record) {
            return keys.apply(record);
        }

        @Override
        public Future<List<ProducerRecord<byte[], byte[]>>> handle(ConsumerRecord<byte[], byte[]> record) {
            calls.add(id(record));
            return work.apply(record).map(v -> List.of(new ProducerRecord<>(outTopic, record.key(), utf8(id(record)))));
        }

        @Override
        public List<ProducerRecord<byte[], byte[]>> onUnexpectedFailure(ConsumerRecord<byte[], byte[]> record,
                                                                        Throwable error) {
            return List.of(new ProducerRecord<>(outTopic, record.key(), utf8("failed:" + id(record))));
        }
    }

    /** Reads an output topic from the beginning; call {@link #read} from one thread at a time. */
    static final class OutputReader implements AutoCloseable {

        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

        /** A reader of every record written, whether its transaction committed or not. */
        OutputReader(String topic, int partitions) {
            this(topic, partitions, "read_uncommitted");
        }

        /** @param isolation {@code read_committed} or {@code read_uncommitted} */
        OutputReader(String topic, int partitions, String isolation) {
            consumer = consumer("reader-" + topic, 500, Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation));
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
        }

        /** Everything read so far, in the order of the output partitions. */
        synchronized List<String> read() {
            consumer.poll(Duration.ofMillis(50)).forEach(records::add);
            return records.stream().map(record -> text(record.value())).toList();
        }

        /**
         * Everything up to the end of the topic as of now (for {@code read_committed}: up to its last stable
         * offset, so this waits for open transactions to end).
         */
        synchronized List<String> readToEnd() {
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                consumer.poll(Duration.ofMillis(50)).forEach(records::add);
            }
            return read();
        }

        @Override
        public synchronized void close() {
            consumer.close();
        }
    }
}
