package io.wabatch.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.Identity;
import io.wabatch.common.contract.InboundMessage;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.OptOut;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.ReadyJob;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One identity per person, learned from the API's own answer (issue 18): a message sent by number is
 * answered with the user's business-scoped user ID ({@code contacts[].user_id}); the sender writes the pair
 * to {@code wa.identities}, so an opt-out given under the number then covers a job addressed by the BSUID,
 * without waiting for any webhook; the customer's 24-hour window and pair window are the person's too.
 */
@Timeout(90)
@Tag("slow")
class IdentityFromAnswerIT {

    @Test
    void anAcceptedMessageTeachesTheNumbersBsuidAndAnOptOutByNumberThenCoversTheBsuid() throws Exception {
        TestChannel channel = TestChannel.meta("identity", 0, 80);
        String phone = ReadyJobs.recipient(7, 1);
        try (SenderStack stack = SenderStack.create("identity-answer", List.of(channel));
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap), new ByteArraySerializer(),
                     new ByteArraySerializer())) {
            stack.startSender(Map.of());
            String bsuid = stack.sandbox.bsuid(channel.numberId(), phone);

            stack.publish(List.of(template("welcome", "welcome/1", channel.id(), phone)));
            assertThat(stack.outputs().awaitResult("welcome", "welcome/1", Duration.ofSeconds(20)).outcome())
                    .isEqualTo(Outcome.ACCEPTED);
            ConsumerRecord<byte[], byte[]> learned = await("the pair in wa.identities").atMost(Duration.ofSeconds(10))
                    .until(() -> stack.outputs().identityRecords().stream().findFirst().orElse(null),
                            r -> r != null);
            assertThat(new String(learned.key(), StandardCharsets.UTF_8)).isEqualTo(bsuid);
            Identity identity = Identity.decode(learned.value());
            assertThat(identity.phone()).isEqualTo(phone);
            assertThat(identity.source()).isEqualTo("api");

            producer.send(new ProducerRecord<>(stack.topics.optOuts(), phone.getBytes(StandardCharsets.UTF_8),
                    Json.bytes(new OptOut(phone, "test", Instant.now())))).get(10, TimeUnit.SECONDS);
            stack.stopSender();
            stack.startSender(Map.of()); // reads the compacted topics to their end before it sends
            stack.publish(List.of(template("offer", "offer/1", channel.id(), bsuid)));
            JobResult refused = stack.outputs().awaitResult("offer", "offer/1", Duration.ofSeconds(20));

            assertThat(refused.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(refused.error().code()).as("the opt-out given by number covers the BSUID").isEqualTo("opted_out");
            assertThat(stack.stats(channel.id()).accepted()).as("only the welcome template reached the API")
                    .isEqualTo(1);
        }
    }

    @Test
    void aCustomersWindowAndPairWindowAreThePersonsWhicheverAddressAJobUses() throws Exception {
        TestChannel channel = TestChannel.meta("identity-window", 0, 80);
        String phone = ReadyJobs.recipient(7, 2);
        try (SenderStack stack = SenderStack.create("identity-window", List.of(channel));
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap), new ByteArraySerializer(),
                     new ByteArraySerializer())) {
            stack.startSender(Map.of("policy.window.enforce", "true"));
            String bsuid = stack.sandbox.bsuid(channel.numberId(), phone);
            stack.publish(List.of(template("welcome", "welcome/2", channel.id(), phone)));
            stack.outputs().awaitResult("welcome", "welcome/2", Duration.ofSeconds(20));
            await("the pair in wa.identities").atMost(Duration.ofSeconds(10))
                    .until(() -> !stack.outputs().identityRecords().isEmpty());

            // The customer writes from their number (the sandbox opens its own window; wa.inbound tells the sender).
            stack.sandbox.inbound(channel.numberId(), phone, "hi");
            producer.send(new ProducerRecord<>(stack.topics.inbound(), phone.getBytes(StandardCharsets.UTF_8),
                    Json.bytes(new InboundMessage(phone, "wamid.in-1", Instant.now(), "text", "hi",
                            channel.numberId(), Instant.now())))).get(10, TimeUnit.SECONDS);
            stack.stopSender();
            stack.startSender(Map.of("policy.window.enforce", "true")); // reads wa.inbound's window before it sends

            // Two texts back to back, to the number and to the BSUID: one window, one pair window.
            stack.publish(List.of(ReadyJobs.text("reply", "reply/phone", channel.id(), phone),
                    ReadyJobs.text("reply", "reply/bsuid", channel.id(), bsuid)));
            Map<String, JobResult> replies = stack.outputs().awaitResults("reply", 2, Duration.ofSeconds(20));

            assertThat(replies.values()).as("a text to the BSUID is inside the window the number's message opened")
                    .allSatisfy(r -> assertThat(r.outcome()).as(String.valueOf(r.error())).isEqualTo(Outcome.ACCEPTED));
            assertThat(stack.stats(channel.id()).rejectedByCode()).as("the sender kept the person's pair window: no 131056")
                    .doesNotContainKey(131056);
            assertThat(stack.stats(channel.id()).accepted()).as("the welcome template and the two texts").isEqualTo(3);
        }
    }

    @Test
    void aBsuidThatReplacedAnotherLeadsThroughItToTheNumberAndItsOptOut() throws Exception {
        TestChannel channel = TestChannel.meta("identity-chain", 0, 80);
        String phone = ReadyJobs.recipient(7, 3);
        String previous = "DE.11112222333344445555";
        String current = "DE.66667777888899990000";
        try (SenderStack stack = SenderStack.create("identity-chain", List.of(channel));
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap), new ByteArraySerializer(),
                     new ByteArraySerializer())) {
            // As the funnel writes them: the status of a message to the number, then a user_changed_user_id.
            send(producer, stack.topics.identities(), previous, new Identity(previous, phone, "status", Instant.now()));
            send(producer, stack.topics.identities(), current,
                    new Identity(current, previous, "system:user_changed_user_id", Instant.now()));
            send(producer, stack.topics.optOuts(), phone, new OptOut(phone, "inbound:STOP", Instant.now()));
            stack.startSender(Map.of()); // reads the compacted topics to their end before it sends

            stack.publish(List.of(template("offer", "offer/current", channel.id(), current),
                    template("offer", "offer/stranger", channel.id(), "DE.12121212121212121212")));
            Map<String, JobResult> offers = stack.outputs().awaitResults("offer", 2, Duration.ofSeconds(20));

            assertThat(offers.get("offer/current").outcome()).isEqualTo(Outcome.FAILED);
            assertThat(offers.get("offer/current").error().code()).as("the number's opt-out, two links away")
                    .isEqualTo("opted_out");
            assertThat(offers.get("offer/stranger").outcome()).isEqualTo(Outcome.ACCEPTED);
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, Object value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), Json.bytes(value)))
                .get(10, TimeUnit.SECONDS);
    }

    private static ReadyJob template(String campaign, String jobId, String channel, String to) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "template");
        ObjectNode template = message.putObject("template").put("name", "spring_sale");
        template.putObject("language").put("code", "en_US");
        return ReadyJobs.job(campaign, jobId, channel, to, message, List.of(), 1);
    }
}
