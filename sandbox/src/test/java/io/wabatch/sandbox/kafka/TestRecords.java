package io.wabatch.sandbox.kafka;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Produces keyed string records and reads a whole topic back, for the broker tests. */
final class TestRecords {

    private TestRecords() {
    }

    /** An idempotent acks=all producer. */
    static KafkaProducer<String, String> producer(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /** Records {@code key-i -> value-i} for i in [from, to). */
    static Map<String, String> keyed(int from, int to) {
        return IntStream.range(from, to).boxed()
                .collect(Collectors.toMap(i -> "key-" + i, i -> "value-" + i));
    }

    /** Sends every record and waits for every acknowledgement. */
    static void send(KafkaProducer<String, String> producer, String topic, Map<String, String> records)
            throws Exception {
        List<Future<RecordMetadata>> acks = records.entrySet().stream()
                .map(e -> producer.send(new ProducerRecord<>(topic, e.getKey(), e.getValue())))
                .toList();
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            ack.get();
        }
    }

    /** Reads {@code topic} from the beginning until {@code expected} records arrived; returns key -> value. */
    static Map<String, String> readAll(String bootstrapServers, String topic, int expected, Duration atMost) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, String> read = new HashMap<>();
        int[] count = {0};
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await("read " + expected + " records from " + topic).atMost(atMost).pollInSameThread()
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                            read.put(record.key(), record.value());
                            count[0]++;
                        }
                        return count[0] >= expected;
                    });
        }
        if (count[0] != expected) {
            throw new AssertionError("Read " + count[0] + " records from " + topic + ", expected " + expected);
        }
        return read;
    }
}
