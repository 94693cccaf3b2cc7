package io.wabatch.common.kafka;

import java.util.Locale;

/**
 * What a topic must look like.
 *
 * @param name            topic name
 * @param cleanup         its {@code cleanup.policy}
 * @param partitions      partitions to create it with
 * @param channelPartitioned true for the topics co-partitioned by channel (ready, deferred, results):
 *                        they need equal partition counts, at least one per channel
 */
public record TopicSpec(String name, Cleanup cleanup, int partitions, boolean channelPartitioned) {

    /** Kafka's {@code cleanup.policy} values wabatch uses. */
    public enum Cleanup {
        DELETE, COMPACT;

        public String configValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
