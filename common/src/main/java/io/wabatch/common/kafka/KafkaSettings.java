package io.wabatch.common.kafka;

import java.util.Map;

/** What {@link KafkaClients} needs of a service's configuration to build its clients. */
public interface KafkaSettings {

    /** Kafka bootstrap servers, host:port[,host:port...]. */
    String bootstrapServers();

    /** The service's consumer group; only asked of services that consume in a group. */
    String groupId();

    /** Kafka client properties passed through by the service (the {@code kafka.} prefix removed). */
    Map<String, Object> kafkaProperties();
}
