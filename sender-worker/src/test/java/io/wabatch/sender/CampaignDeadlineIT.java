package io.wabatch.sender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.control.CampaignCommand;
import io.wabatch.common.control.CampaignPolicy;
import io.wabatch.common.kafka.DeferTiers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A campaign's {@code send_before} in the sender: a message its channel's tier would hold until after the
 * deadline expires at once instead of waiting in the deferred topics, and is never sent late; the others
 * go. The sandbox enforces the same tier and is the judge.
 */
@Timeout(120)
class CampaignDeadlineIT {

    private static final org.slf4j.Logger FIGURES = org.slf4j.LoggerFactory.getLogger("figures");
    private static final DeferTiers TIERS = DeferTiers.parse("1s,4s");

    @Test
    void messagesTheTierWouldHoldPastTheDeadlineExpireAtOnceAndTheOthersAreSent() throws Exception {
        TestChannel channel = TestChannel.d360("deadline", 0, 100).withTier(3);
        try (SenderStack stack = SenderStack.create("deadline-tier", List.of(channel), b -> b, TIERS);
             KafkaProducer<byte[], byte[]> control = producer(stack)) {
            stack.sandbox.setPolicy("{\"tiers\":{\"" + channel.numberId() + "\":3},\"tier_window_ms\":60000}");
            Instant sendBefore = Instant.now().plusSeconds(30);
            control.send(new CampaignCommand(CampaignCommand.RUNNING, null, "publish", Instant.now(), 8L,
                    new CampaignPolicy("marketing", null, null, null, sendBefore))
                    .toRecord(stack.topics.control(), "offer")).get(10, TimeUnit.SECONDS);
            stack.startSender(Map.of("policy.tier.window.ms", "60000"));

            List<ReadyJob> jobs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                jobs.add(template("offer", "offer/" + i, channel.id(), ReadyJobs.recipient(3, i)));
            }
            Instant published = Instant.now();
            stack.publish(jobs);

            Map<String, JobResult> results = stack.outputs().awaitResults("offer", 8, Duration.ofSeconds(20));
            List<JobResult> expired = results.values().stream().filter(r -> r.outcome() == Outcome.EXPIRED).toList();
            assertThat(results.values().stream().filter(r -> r.outcome() == Outcome.ACCEPTED)).hasSize(3);
            assertThat(expired).hasSize(5).allSatisfy(r -> {
                assertThat(r.error().details()).contains("(tier), after its campaign offer's send_before "
                        + sendBefore);
                assertThat(r.producedAt()).as("decided at once, not at the deadline").isBefore(sendBefore);
            });
            assertThat(stack.outputs().deferredRecords()).as("nothing waits in the deferred topics").isEmpty();
            assertThat(stack.stats(channel.id()).accepted()).isEqualTo(3);
            assertThat(stack.sandbox.policy().path("tier_violations").asLong()).isZero();
            long decided = expired.stream().mapToLong(r -> Duration.between(published, r.producedAt()).toMillis())
                    .max().orElseThrow();
            FIGURES.info("deadline: tier 3 of 8, 3 accepted, 5 expired within {} ms of publishing (deadline in 30 s)",
                    decided);
        }
    }

    private static ReadyJob template(String campaign, String jobId, String channel, String to) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "template");
        ObjectNode template = message.putObject("template").put("name", "spring_sale");
        template.putObject("language").put("code", "en_US");
        return ReadyJobs.job(campaign, jobId, channel, to, message, List.of(), 1);
    }

    private static KafkaProducer<byte[], byte[]> producer(SenderStack stack) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
