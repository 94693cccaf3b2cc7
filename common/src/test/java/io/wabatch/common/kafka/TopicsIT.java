package io.wabatch.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wabatch.sandbox.kafka.KafkaTestBroker;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Topic creation and the start-up check against a real broker. */
@Timeout(60)
class TopicsIT {

    private final Admin admin = KafkaTestBroker.admin();

    @Test
    void createsEveryTopicWithItsCleanupPolicyAndTheCheckPasses() throws Exception {
        TopicNames names = TopicNames.withPrefix("t" + UUID.randomUUID().toString().substring(0, 8));
        List<String> created = Topics.create(admin, names.specs(3), (short) 1);
        assertThat(created).as("9 topics and the 4 default defer tiers").hasSize(13)
                .contains(names.deferred() + ".1m", names.deferred() + ".6h");
        Topics.check(admin, names.specs(3), 3);
        assertThat(Topics.create(admin, names.specs(3), (short) 1)).as("idempotent").isEmpty();
        var config = admin.describeConfigs(List.of(new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, names.mediaCache()))).all().get();
        assertThat(config.values().iterator().next().get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
    }

    @Test
    void checkNamesEveryProblem() {
        TopicNames names = TopicNames.withPrefix("bad" + UUID.randomUUID().toString().substring(0, 8));
        KafkaTestBroker.createTopic(names.mediaCache(), 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "delete"));
        KafkaTestBroker.createTopic(names.ready(), 4);
        KafkaTestBroker.createTopic(names.results(), 2);
        List<TopicSpec> specs = List.of(names.spec(names.mediaCache(), 4), names.spec(names.ready(), 4),
                names.spec(names.results(), 4), names.spec(names.jobs(), 4));

        assertThatThrownBy(() -> Topics.check(admin, specs, 3))
                .isInstanceOfSatisfying(TopicException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "topic " + names.jobs() + " does not exist; create the topics with 'wabatch topics create'",
                        "topic " + names.mediaCache() + " has cleanup.policy=delete but wabatch needs compact; recreate it "
                                + "or run kafka-configs --alter --add-config cleanup.policy=compact",
                        "co-partitioned topics must have equal partition counts, found {" + names.ready() + "=4, "
                                + names.results() + "=2}",
                        "topic " + names.results() + " has 2 partitions but the channel registry needs 3 (one per "
                                + "channel, up to the highest channel partition)"));
    }
}
