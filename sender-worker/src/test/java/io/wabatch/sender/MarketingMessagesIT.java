package io.wabatch.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.control.CampaignCommand;
import io.wabatch.common.control.CampaignPolicy;
import io.wabatch.sandbox.api.stats.AcceptedMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Marketing Messages API on a Meta number (whatsapp-api-facts §10), against the sandbox: while
 * its business has not accepted the terms, the first marketing template falls back once to
 * {@code /messages} and the next ones go there directly; once the terms are accepted and the retry
 * time has passed, marketing templates go by {@code /marketing_messages} and a utility campaign's by
 * {@code /messages}. The sandbox counts accepted messages per endpoint; results carry the endpoint.
 */
@Timeout(120)
@Tag("slow")
class MarketingMessagesIT {

    private static final org.slf4j.Logger FIGURES = org.slf4j.LoggerFactory.getLogger("figures");

    @Test
    void marketingTemplatesFallBackWithoutTheTermsAndUseTheMarketingMessagesApiOnceAccepted() throws Exception {
        TestChannel channel = TestChannel.meta("mm", 0, 80).withMarketingMessages();
        try (SenderStack stack = SenderStack.create("marketing-messages", List.of(channel));
             KafkaProducer<byte[], byte[]> control = producer(stack)) {
            control.send(new CampaignCommand(CampaignCommand.RUNNING, null, "publish", Instant.now(), 2L,
                    new CampaignPolicy("utility", null, null, null)).toRecord(stack.topics.control(), "notice"))
                    .get(10, TimeUnit.SECONDS);
            stack.startSender(Map.of("send.marketing.messages.retry.ms", "1500"));

            stack.publish(List.of(template("promo", "promo/0", channel, 0)));
            assertThat(stack.outputs().awaitResult("promo", "promo/0", Duration.ofSeconds(20)).endpoint())
                    .as("refused for the terms, sent again by /messages").isEqualTo(JobResult.MESSAGES);
            stack.publish(List.of(template("promo", "promo/1", channel, 1), template("promo", "promo/2", channel, 2)));
            Map<String, JobResult> before = stack.outputs().awaitResults("promo", 3, Duration.ofSeconds(20));
            assertThat(before.values()).allSatisfy(r -> {
                assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED);
                assertThat(r.endpoint()).isEqualTo(JobResult.MESSAGES);
            });
            assertThat(counter(stack, "fallback")).as("one fallback, then /messages until the retry time")
                    .isEqualTo(1.0);
            assertThat(stack.stats(channel.id()).accepted(AcceptedMessage.MARKETING_MESSAGES)).isZero();
            assertThat(stack.stats(channel.id()).accepted(AcceptedMessage.MESSAGES)).isEqualTo(3);

            stack.sandbox.setMarketingMessagesOnboarded(channel.numberId(), true);
            await().pollDelay(Duration.ofMillis(1600)).until(() -> true); // the retry time passes
            stack.publish(List.of(template("promo", "promo/3", channel, 3), template("promo", "promo/4", channel, 4),
                    template("notice", "notice/0", channel, 5), template("notice", "notice/1", channel, 6)));

            Map<String, JobResult> promo = stack.outputs().awaitResults("promo", 5, Duration.ofSeconds(20));
            Map<String, JobResult> notice = stack.outputs().awaitResults("notice", 2, Duration.ofSeconds(20));
            assertThat(List.of(promo.get("promo/3"), promo.get("promo/4"))).allSatisfy(r -> {
                assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED);
                assertThat(r.endpoint()).isEqualTo(JobResult.MARKETING_MESSAGES);
            });
            assertThat(notice.values()).as("a utility campaign's templates").allSatisfy(r -> {
                assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED);
                assertThat(r.endpoint()).isEqualTo(JobResult.MESSAGES);
            });
            assertThat(stack.stats(channel.id()).accepted(AcceptedMessage.MARKETING_MESSAGES)).isEqualTo(2);
            assertThat(stack.stats(channel.id()).accepted(AcceptedMessage.MESSAGES)).isEqualTo(5);
            assertThat(counter(stack, "accepted")).isEqualTo(2.0);
            FIGURES.info("marketing messages: without terms 3 of 3 by /messages after 1 fallback; with terms 2 "
                    + "marketing by /marketing_messages, 2 utility by /messages");
        }
    }

    private static double counter(SenderStack stack, String result) {
        Counter counter = stack.meters.find("wabatch.sender.marketing.messages").tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }

    private static ReadyJob template(String campaign, String jobId, TestChannel channel, int n) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "template");
        ObjectNode template = message.putObject("template").put("name", "spring_sale");
        template.putObject("language").put("code", "en_US");
        return ReadyJobs.job(campaign, jobId, channel.id(), ReadyJobs.recipient(7, n), message, List.of(), 1);
    }

    private static KafkaProducer<byte[], byte[]> producer(SenderStack stack) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
