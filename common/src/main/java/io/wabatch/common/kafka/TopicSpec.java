package io.wabatch.common.kafka;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.TopicConfig;

/**
 * What a topic must look like.
 *
 * @param name            topic name
 * @param cleanup         its {@code cleanup.policy}
 * @param partitions      partitions to create it with
 * @param channelPartitioned true for the topics co-partitioned by channel (ready, deferred, results):
 *                        they need equal partition counts, at least one per channel
 * @param maxMessageBytes its {@code max.message.bytes}, or 0 for the broker's default
 */
public record TopicSpec(String name, Cleanup cleanup, int partitions, boolean channelPartitioned, int maxMessageBytes) {

    /** A topic with the broker's default {@code max.message.bytes}. */
    public TopicSpec(String name, Cleanup cleanup, int partitions, boolean channelPartitioned) {
        this(name, cleanup, partitions, channelPartitioned, 0);
    }

    /** The configuration it is created with. */
    public Map<String, String> configs() {
        Map<String, String> configs = new TreeMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanup.configValue());
        if (maxMessageBytes > 0) {
            configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxMessageBytes));
        }
        return configs;
    }

    /** Kafka's {@code cleanup.policy} values wabatch uses. */
    public enum Cleanup {
        DELETE, COMPACT;

        public String configValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
