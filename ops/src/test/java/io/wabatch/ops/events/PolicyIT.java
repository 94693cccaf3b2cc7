package io.wabatch.ops.events;

import io.wabatch.sender.ReadyJobs;
import io.wabatch.sender.SenderStack;
import io.wabatch.sender.TestChannel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.control.CampaignCommand;
import io.wabatch.common.control.CampaignPolicy;
import io.wabatch.sandbox.api.stats.AcceptedMessage;
import io.wabatch.webhook.WebhookReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * WhatsApp's messaging rules before any API call, end to end: customers write to the sandbox, which
 * posts signed inbound webhooks to the receiver; the funnel aggregator turns STOP into an opt-out;
 * the sender refuses, defers or sends; the sandbox enforces the same rules and must never have to.
 */
// Measures rates or time bounds: runs alone, not beside another test class.
@org.junit.jupiter.api.parallel.Isolated
@Timeout(180)
class PolicyIT {

    private static final String SECRET = "policy-secret";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path state;

    @Test
    void optOutsAndTheTwentyFourHourWindowAreAppliedBeforeSending() throws Exception {
        TestChannel channel = TestChannel.d360("rules", 0, 100);
        try (SenderStack stack = SenderStack.create("policy-window", List.of(channel));
                 EventServices services = new EventServices(stack);
             KafkaProducer<byte[], byte[]> control = producer(stack)) {
            WebhookReceiver receiver = services.startReceiver(Map.of("webhook.app.secret", SECRET));
            stack.sandbox.setWebhooks("{\"url\":\"http://127.0.0.1:" + receiver.port() + "/webhook\",\"app_secret\":\""
                    + SECRET + "\",\"step\":20}");
            stack.sandbox.setPolicy("{\"window\":true}");
            services.startFunnel(state, Map.of());
            String wrote = ReadyJobs.recipient(1, 1);
            String stopped = ReadyJobs.recipient(1, 2);
            String silent = ReadyJobs.recipient(1, 3);
            stack.sandbox.inbound(channel.numberId(), wrote, "Hi, do you ship to Austria?");
            stack.sandbox.inbound(channel.numberId(), stopped, " stop ");
            await("the opt-out is in wa.optouts").atMost(WAIT).until(() -> !stack.outputs().optOutRecords().isEmpty());
            control.send(new CampaignCommand(CampaignCommand.RUNNING, null, "publish", Instant.now(), null,
                    new CampaignPolicy("utility", null, null, null)).toRecord(stack.topics.control(), "receipts"))
                    .get(10, TimeUnit.SECONDS);
            stack.startSender(Map.of("policy.window.enforce", "true"));

            stack.publish(List.of(
                    ReadyJobs.text("promo", "promo/text-wrote", channel.id(), wrote),
                    ReadyJobs.text("promo", "promo/text-silent", channel.id(), silent),
                    template("promo", "promo/tpl-stopped", channel.id(), stopped),
                    template("promo", "promo/tpl-silent", channel.id(), silent),
                    template("receipts", "receipts/tpl-stopped", channel.id(), stopped)));

            Map<String, JobResult> promo = stack.outputs().awaitResults("promo", 4, WAIT);
            assertThat(promo.get("promo/text-wrote").outcome()).as("inside the window").isEqualTo(Outcome.ACCEPTED);
            JobResult outside = promo.get("promo/text-silent");
            assertThat(outside.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(outside.error().code()).isEqualTo("outside_window");
            assertThat(outside.error().details()).contains("template");
            JobResult optedOut = promo.get("promo/tpl-stopped");
            assertThat(optedOut.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(optedOut.error().code()).isEqualTo("opted_out");
            assertThat(promo.get("promo/tpl-silent").outcome()).as("a template may start a conversation")
                    .isEqualTo(Outcome.ACCEPTED);
            assertThat(stack.outputs().awaitResult("receipts", "receipts/tpl-stopped", WAIT).outcome())
                    .as("a utility campaign is not suppressed by a marketing opt-out").isEqualTo(Outcome.ACCEPTED);
            assertThat(stack.stats(channel.id()).rejectedByCode()).as("the API never had to refuse (131047)")
                    .doesNotContainKey(131047);
            assertThat(stack.stats(channel.id()).accepted()).isEqualTo(3);
        }
    }

    @Test
    void messagesBeyondTheChannelsTierWaitForAPlaceAndQuietHoursDeferInTheRecipientsTimeZone() throws Exception {
        TestChannel channel = TestChannel.d360("tiered", 0, 100).withTier(5);
        try (SenderStack stack = SenderStack.create("policy-tier", List.of(channel));
             KafkaProducer<byte[], byte[]> control = producer(stack)) {
            stack.sandbox.setPolicy("{\"tiers\":{\"" + channel.numberId() + "\":5},\"tier_window_ms\":6000}");
            // Quiet from an hour ago until 6 s from now in Berlin, the zone of +49 numbers.
            ZoneId berlin = ZoneId.of("Europe/Berlin");
            DateTimeFormatter hms = DateTimeFormatter.ofPattern("HH:mm:ss");
            Instant quietEnd = Instant.now().plusSeconds(6);
            String start = LocalTime.ofInstant(Instant.now().minusSeconds(3600), berlin).format(hms);
            String end = LocalTime.ofInstant(quietEnd, berlin).format(hms);
            control.send(new CampaignCommand(CampaignCommand.RUNNING, null, "publish", Instant.now(), null,
                    new CampaignPolicy("marketing", start, end, null)).toRecord(stack.topics.control(), "night"))
                    .get(10, TimeUnit.SECONDS);
            stack.startSender(Map.of("policy.tier.window.ms", "6000"));

            List<ReadyJob> jobs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                jobs.add(template("tiers", "tiers/" + i, channel.id(), ReadyJobs.recipient(2, i)));
            }
            Instant published = Instant.now();
            stack.publish(jobs);
            Map<String, JobResult> results = stack.outputs().awaitResults("tiers", 8, WAIT);
            assertThat(results.values()).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED));
            List<Long> sent = stack.sandbox.messages(channel.numberId()).stream().map(AcceptedMessage::receivedAtMs)
                    .sorted().toList();
            assertThat(sent).hasSize(8);
            assertThat(sent.get(4) - published.toEpochMilli()).as("five at once").isLessThan(3_000);
            assertThat(sent.get(5) - sent.get(0)).as("the sixth once the first left the window").isGreaterThanOrEqualTo(5_900);
            assertThat(stack.sandbox.policy().path("tier_violations").asLong()).isZero();

            stack.publish(List.of(template("night", "night/1", channel.id(), ReadyJobs.recipient(2, 0))));
            JobResult night = stack.outputs().awaitResult("night", "night/1", WAIT);
            assertThat(night.outcome()).isEqualTo(Outcome.ACCEPTED);
            assertThat(night.sentAt()).as("not before the quiet hours end in Berlin").isAfterOrEqualTo(
                    quietEnd.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
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
