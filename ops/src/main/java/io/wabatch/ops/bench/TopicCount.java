package io.wabatch.ops.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The records of a whole topic, read once from its start to its end as it is now (no group): how many there
 * are, and how many distinct by an identity read from each value (a value that cannot be read counts as a
 * record of its own). The webhook receiver's producer is not transactional, so every record is visible; the
 * consumer reads committed all the same, which then reads the same.
 *
 * @param records  every record
 * @param distinct distinct identities among them
 */
record TopicCount(long records, long distinct) {

    /** How {@link #read} names a record's value; may throw on a value it cannot read. */
    @FunctionalInterface
    interface Identity {
        String of(byte[] value) throws IOException;
    }

    /** Duplicates: records beyond the first of each identity. */
    long duplicates() {
        return records - distinct;
    }

    /**
     * Reads {@code topic} from its beginning to the end offsets it has when called.
     *
     * @throws IllegalStateException when the end is not reached within {@code timeout}
     */
    static TopicCount read(String bootstrap, String topic, Identity identity, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            Set<String> seen = new HashSet<>();
            long records = 0;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(consumer, ends)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("did not read " + topic + " to its end " + ends + " within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    records++;
                    seen.add(name(identity, record));
                }
            }
            return new TopicCount(records, seen.size());
        }
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private static String name(Identity identity, ConsumerRecord<byte[], byte[]> record) {
        try {
            return identity.of(record.value());
        } catch (IOException | RuntimeException e) {
            return "unreadable " + record.partition() + "/" + record.offset();
        }
    }
}
