package io.wabatch.common.channel;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.utils.Utils;

/**
 * Puts every record keyed {@code <channel>/<recipient>} on its channel's partition (DESIGN §4.1),
 * so the ready, deferred and result topics are co-partitioned by channel and one sender instance
 * owns each channel. Records whose key names no known channel (e.g. results of a job with an
 * unknown channel) are hashed like Kafka's default partitioner.
 *
 * <p>Configure with {@link #configFor(ChannelRegistry)}.
 */
public final class ChannelPartitioner implements Partitioner {

    /** Producer property: {@code channel=partition} pairs separated by commas. */
    public static final String PARTITIONS_CONFIG = "wabatch.channel.partitions";
    /** Producer property: the channel-partitioned topics, separated by commas; other topics are hashed. */
    public static final String TOPICS_CONFIG = "wabatch.channel.topics";

    private Map<String, Integer> partitions = Map.of();
    private java.util.Set<String> topics = java.util.Set.of();

    /**
     * Producer properties that install this partitioner for the given registry and the topics
     * co-partitioned by channel (ready, deferred, results). Records to any other topic (the DLQ,
     * the media cache) are spread by key hash, as Kafka's default partitioner would.
     */
    public static Map<String, Object> configFor(ChannelRegistry registry, java.util.Collection<String> channelTopics) {
        StringBuilder value = new StringBuilder();
        registry.partitions().forEach((id, p) -> value.append(value.length() == 0 ? "" : ",").append(id).append('=').append(p));
        return Map.of("partitioner.class", ChannelPartitioner.class.getName(), PARTITIONS_CONFIG, value.toString(),
                TOPICS_CONFIG, String.join(",", channelTopics));
    }

    @Override
    public void configure(Map<String, ?> configs) {
        Object value = configs.get(PARTITIONS_CONFIG);
        if (value == null) {
            throw new ConfigException(PARTITIONS_CONFIG, null, "ChannelPartitioner needs the channel→partition map");
        }
        Map<String, Integer> map = new HashMap<>();
        for (String pair : value.toString().split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            map.put(kv[0].strip(), Integer.parseInt(kv[1].strip()));
        }
        partitions = Map.copyOf(map);
        Object names = configs.get(TOPICS_CONFIG);
        topics = names == null ? java.util.Set.of() : java.util.Set.of(names.toString().split(","));
    }

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        int count = cluster.partitionCountForTopic(topic);
        Integer partition = keyBytes == null || !topics.contains(topic) ? null : partitions.get(channelOf(keyBytes));
        if (partition != null) {
            if (partition >= count) {
                throw new IllegalStateException("channel partition " + partition + " does not exist: topic " + topic
                        + " has " + count + " partitions");
            }
            return partition;
        }
        return keyBytes == null ? 0 : Utils.toPositive(Utils.murmur2(keyBytes)) % count;
    }

    /** The channel part of a {@code <channel>/<recipient>} key. */
    static String channelOf(byte[] keyBytes) {
        String key = new String(keyBytes, StandardCharsets.UTF_8);
        int slash = key.indexOf('/');
        return slash < 0 ? key : key.substring(0, slash);
    }

    @Override
    public void close() {
        // nothing held
    }
}
