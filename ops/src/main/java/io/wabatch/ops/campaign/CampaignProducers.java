package io.wabatch.ops.campaign;

import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The producers of the campaign commands: idempotent, {@code acks=all}, lz4, and for publish and redrive
 * one Kafka transaction per command, so a campaign's jobs are written all or none. Each call creates and
 * closes its own producer on the calling thread.
 */
public final class CampaignProducers {

    private CampaignProducers() {
    }

    /** A producer; transactional when {@code transactionalId} is not null. The caller closes it. */
    public static KafkaProducer<byte[], byte[]> producer(String bootstrap, String transactionalId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        if (transactionalId != null) {
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Writes {@code records} in one Kafka transaction: all of them, or (on any failure, which is thrown) none.
     * The transactional id is {@code name} with a random suffix, so two runs never fence each other.
     */
    public static void inTransaction(String bootstrap, String name, List<ProducerRecord<byte[], byte[]>> records) {
        try (KafkaProducer<byte[], byte[]> producer =
                     producer(bootstrap, name + "-" + UUID.randomUUID().toString().substring(0, 8))) {
            producer.initTransactions();
            producer.beginTransaction();
            try {
                records.forEach(producer::send);
                producer.commitTransaction();
            } catch (RuntimeException e) {
                producer.abortTransaction();
                throw e;
            }
        }
    }
}
