package io.wabatch.common.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.junit.jupiter.api.Test;

class ChannelPartitionerTest {

    private final ChannelRegistry registry = ChannelRegistry.of(List.of(
            ChannelRegistryTest.channel("acme-de", 3, 80, 0.95, 4),
            ChannelRegistryTest.channel("acme-nl", 0, 80, 0.95, 4)));

    @Test
    void everyRecipientOfAChannelLandsOnItsPartition() {
        try (ChannelPartitioner partitioner = configured()) {
            for (int i = 0; i < 200; i++) {
                assertThat(partition(partitioner, "acme-de/49151" + i)).isEqualTo(3);
                assertThat(partition(partitioner, "acme-nl/31612" + i)).isEqualTo(0);
            }
        }
    }

    @Test
    void unknownChannelsAreHashedWithinRange() {
        try (ChannelPartitioner partitioner = configured()) {
            assertThat(partition(partitioner, "nowhere/123")).isBetween(0, 5);
            assertThat(partition(partitioner, "nowhere/123")).isEqualTo(partition(partitioner, "nowhere/123"));
        }
    }

    @Test
    void otherTopicsAreHashedEvenForChannelKeys() {
        try (ChannelPartitioner partitioner = configured()) {
            byte[] key = "acme-de/4915100".getBytes(StandardCharsets.UTF_8);
            assertThat(partitioner.partition("dlq", null, key, null, null, cluster("dlq", 2))).isBetween(0, 1);
        }
    }

    @Test
    void aChannelPartitionBeyondTheTopicFailsLoudly() {
        try (ChannelPartitioner partitioner = configured()) {
            assertThatThrownBy(() -> partitioner.partition("t", null, "acme-de/1".getBytes(StandardCharsets.UTF_8),
                    null, null, cluster(2))).hasMessageContaining("channel partition 3 does not exist");
        }
    }

    private ChannelPartitioner configured() {
        ChannelPartitioner partitioner = new ChannelPartitioner();
        partitioner.configure(ChannelPartitioner.configFor(registry, java.util.List.of("t")));
        return partitioner;
    }

    private static int partition(ChannelPartitioner partitioner, String key) {
        return partitioner.partition("t", key, key.getBytes(StandardCharsets.UTF_8), null, null, cluster(6));
    }

    private static Cluster cluster(int partitions) {
        return cluster("t", partitions);
    }

    private static Cluster cluster(String topic, int partitions) {
        Node node = new Node(1, "127.0.0.1", 9092);
        List<PartitionInfo> infos = new java.util.ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            infos.add(new PartitionInfo(topic, p, node, new Node[] {node}, new Node[] {node}));
        }
        return new Cluster("c", List.of(node), infos, java.util.Set.of(), java.util.Set.of());
    }
}
