package io.wabatch.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wabatch.sandbox.kafka.KafkaTestBroker;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Topic creation and the start-up check against a real broker. */
@Timeout(60)
class TopicsIT {

    private final Admin admin = KafkaTestBroker.admin();

    @Test
    void createsEveryTopicWithItsCleanupPolicyAndMessageSizeAndTheCheckPasses() throws Exception {
        TopicNames names = TopicNames.withPrefix("t" + UUID.randomUUID().toString().substring(0, 8));
        List<String> created = Topics.create(admin, names.specs(3), (short) 1);
        assertThat(created).as("16 topics and the 4 default defer tiers").hasSize(20)
                .contains(names.deferred() + ".1m", names.deferred() + ".6h");
        Topics.check(admin, names.specs(3), 3);
        assertThat(Topics.create(admin, names.specs(3), (short) 1)).as("idempotent").isEmpty();
        assertThat(config(names.mediaCache(), TopicConfig.CLEANUP_POLICY_CONFIG)).isEqualTo("compact");
        assertThat(config(names.funnel(), TopicConfig.CLEANUP_POLICY_CONFIG)).isEqualTo("compact");
        assertThat(config(names.optOuts(), TopicConfig.CLEANUP_POLICY_CONFIG)).isEqualTo("compact");
        assertThat(config(names.templates(), TopicConfig.CLEANUP_POLICY_CONFIG)).isEqualTo("compact");
        assertThat(config(names.identities(), TopicConfig.CLEANUP_POLICY_CONFIG)).isEqualTo("compact");
        assertThat(config(names.jobs(), TopicConfig.MAX_MESSAGE_BYTES_CONFIG)).isEqualTo("1048576");
        assertThat(config(names.dlq(), TopicConfig.MAX_MESSAGE_BYTES_CONFIG)).as("a jobs record plus 64 KiB of headers")
                .isEqualTo("1114112");
    }

    @Test
    void checkNamesEveryProblem() {
        TopicNames names = TopicNames.withPrefix("bad" + UUID.randomUUID().toString().substring(0, 8));
        KafkaTestBroker.createTopic(names.mediaCache(), 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "delete"));
        KafkaTestBroker.createTopic(names.ready(), 4);
        KafkaTestBroker.createTopic(names.results(), 2);
        KafkaTestBroker.createTopic(names.dlq(), 1);
        List<TopicSpec> specs = List.of(names.spec(names.mediaCache(), 4), names.spec(names.ready(), 4),
                names.spec(names.results(), 4), names.spec(names.jobs(), 4), names.spec(names.dlq(), 4));

        assertThatThrownBy(() -> Topics.check(admin, specs, 3))
                .isInstanceOfSatisfying(TopicException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "topic " + names.jobs() + " does not exist; create the topics with 'wabatch topics create'",
                        "topic " + names.mediaCache() + " has cleanup.policy=delete but wabatch needs compact; recreate it "
                                + "or run kafka-configs --alter --add-config cleanup.policy=compact",
                        "co-partitioned topics must have equal partition counts, found {" + names.ready() + "=4, "
                                + names.results() + "=2}",
                        "topic " + names.results() + " has 2 partitions but the channel registry needs 3 (one per "
                                + "channel, up to the highest channel partition)",
                        "topic " + names.dlq() + " has max.message.bytes=1048588 but wabatch needs 1114112 (every job "
                                + "the jobs topic accepts must fit the dead-letter topic with its error headers); run "
                                + "kafka-configs --alter --entity-type topics --entity-name " + names.dlq()
                                + " --add-config max.message.bytes=1114112"));
    }

    private String config(String topic, String key) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource).get(key).value();
    }
}
