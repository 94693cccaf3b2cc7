package io.wabatch.ops.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.control.CampaignCommand;
import io.wabatch.common.control.CampaignPolicy;
import io.wabatch.sender.ReadyJobs;
import io.wabatch.sender.SenderStack;
import io.wabatch.sender.TestChannel;
import io.wabatch.webhook.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform's events acted on end to end (issue 19): Meta's webhooks, signed, to the receiver; the
 * funnel turns them into commands and opt-outs; the sender obeys. The sandbox is the judge of what was sent.
 */
@Timeout(180)
@Tag("slow")
class PlatformEventsIT {

    private static final org.slf4j.Logger FIGURES = org.slf4j.LoggerFactory.getLogger("figures");
    private static final String SECRET = "platform-secret";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String WABA = "102290129340398";

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path state;

    @Test
    void aCampaignAtPacePausesWhenItsTemplateIsPausedAndSendsNothingMoreWithIt() throws Exception {
        TestChannel channel = TestChannel.d360("paused-template", 0, 20);
        try (SenderStack stack = SenderStack.create("platform-template", List.of(channel));
             EventServices services = new EventServices(stack)) {
            WebhookReceiver receiver = services.startReceiver(Map.of("webhook.app.secret", SECRET));
            services.startFunnel(state, Map.of());
            stack.publishControl("spring", new CampaignCommand(CampaignCommand.RUNNING, null, "publish", Instant.now(),
                    300L, new CampaignPolicy("marketing", null, null, null, null, CampaignPolicy.WAIT,
                    new CampaignPolicy.Template("spring_sale", "en_US", false))));
            stack.startSender(Map.of());
            List<ReadyJob> jobs = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                jobs.add(template("spring", "spring/" + i, channel.id(), ReadyJobs.recipient(3, i)));
            }
            stack.publish(jobs);
            await("the campaign sends").atMost(WAIT).until(() -> stack.stats(channel.id()).accepted() >= 40);

            Instant posted = Instant.now();
            HttpResponse<String> answer = post(receiver, """
                    {"object":"whatsapp_business_account","entry":[{"id":"%s","time":%d,"changes":[{"field":\
                    "message_template_status_update","value":{"event":"PAUSED","message_template_id":594425479261596,\
                    "message_template_name":"spring_sale","message_template_language":"en_US","reason":\
                    "Low quality: customers blocked or reported it","other_info":{"title":"SECOND_PAUSE"}}}]}]}"""
                    .formatted(WABA, posted.getEpochSecond()));
            assertThat(answer.statusCode()).isEqualTo(200);

            await("the campaign's pause in wa.control").atMost(WAIT).pollInterval(Duration.ofMillis(50))
                    .until(() -> pausedBy(stack, "spring") != null);
            CampaignCommand paused = pausedBy(stack, "spring");
            long pausedAfterMs = Duration.between(posted, paused.at()).toMillis();
            long atPause = stack.stats(channel.id()).accepted();
            await("nothing more sent for 3 s").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> stack.stats(channel.id()).accepted() <= atPause + 2);
            long later = stack.stats(channel.id()).accepted();

            assertThat(paused.by()).isEqualTo("platform");
            assertThat(paused.reason()).contains("spring_sale (en_US)").contains("PAUSED")
                    .contains("wabatch campaign resume spring");
            assertThat(later - atPause).as("sent after the pause was read (in flight at most the pace's burst)")
                    .isLessThanOrEqualTo(2);
            assertThat(later).as("the campaign did not finish").isLessThan(300);
            FIGURES.info("template PAUSED: campaign paused {} ms after the webhook was posted; {} sent before, {} "
                    + "after", pausedAfterMs, atPause, later - atPause);
        }
    }

    @Test
    void aRedQualityWarnsACampaignAndAChangeOfItsTemplateToMarketingPausesItAsMarketing() throws Exception {
        TestChannel channel = TestChannel.d360("recategorised", 0, 20);
        String waba = channel.numberId(); // the sandbox's account of the number
        try (SenderStack stack = SenderStack.create("platform-category", List.of(channel));
             EventServices services = new EventServices(stack)) {
            WebhookReceiver receiver = services.startReceiver(Map.of("webhook.app.secret", SECRET));
            stack.sandbox.setWebhooks("{\"url\":\"http://127.0.0.1:" + receiver.port() + "/webhook\",\"app_secret\":\""
                    + SECRET + "\"}");
            services.startFunnel(state, Map.of());
            stack.publishControl("orders", new CampaignCommand(CampaignCommand.RUNNING, null, "publish", Instant.now(),
                    300L, new CampaignPolicy("utility", null, null, null, null, CampaignPolicy.WAIT,
                    new CampaignPolicy.Template("spring_sale", "en_US", false))));
            stack.startSender(Map.of());
            List<ReadyJob> jobs = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                jobs.add(template("orders", "orders/" + i, channel.id(), ReadyJobs.recipient(4, i)));
            }
            stack.publish(jobs);
            await("the campaign sends").atMost(WAIT).until(() -> stack.stats(channel.id()).accepted() >= 40);

            assertThat(stack.sandbox.events().templateQuality(waba, "spring_sale", "en_US", "YELLOW", "RED").status())
                    .isEqualTo(200);
            await("the warning in the campaign's funnel").atMost(WAIT).until(() -> services.funnel("orders")
                    .map(f -> f.warnings().containsKey("template_quality")).orElse(false));
            assertThat(pausedBy(stack, "orders")).as("a warning does not pause").isNull();
            String quality = services.funnel("orders").orElseThrow().warnings().get("template_quality");

            Instant posted = Instant.now();
            assertThat(stack.sandbox.events().post("template_category_update", Json.mapper().createObjectNode()
                    .put("waba_id", waba).put("name", "spring_sale").put("language", "en_US")
                    .put("previous_category", "UTILITY").put("new_category", "MARKETING")).status()).isEqualTo(200);
            await("the campaign's pause in wa.control").atMost(WAIT).pollInterval(Duration.ofMillis(50))
                    .until(() -> pausedBy(stack, "orders") != null);
            CampaignCommand paused = pausedBy(stack, "orders");
            await("in flight settled").pollDelay(Duration.ofMillis(500)).until(() -> true);
            long atPause = stack.stats(channel.id()).accepted();
            await("nothing more sent for 3 s").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> stack.stats(channel.id()).accepted() == atPause);
            await("both warnings in the campaign's funnel").atMost(WAIT).until(() -> services.funnel("orders")
                    .map(f -> f.warnings().containsKey("template_category") && "paused".equals(f.state()))
                    .orElse(false));

            assertThat(quality).contains("spring_sale (en_US)").contains("RED (was YELLOW)");
            assertThat(paused.reason()).contains("from utility to marketing")
                    .contains("wabatch campaign resume orders");
            assertThat(paused.effectivePolicy().category()).as("resumed, it sends as marketing (opt-outs apply)")
                    .isEqualTo("marketing");
            assertThat(atPause).as("the campaign did not finish").isLessThan(300);
            FIGURES.info("template quality RED: warned; category UTILITY -> MARKETING: utility campaign paused {} ms "
                    + "after the webhook, {} sent", Duration.between(posted, paused.at()).toMillis(), atPause);
        }
    }

    @Test
    void aUsersMarketingStopSkipsTheirNextMarketingTemplateAndAUtilityOneStillGoes() throws Exception {
        TestChannel channel = TestChannel.d360("preferences", 0, 80);
        try (SenderStack stack = SenderStack.create("platform-preferences", List.of(channel));
             EventServices services = new EventServices(stack)) {
            WebhookReceiver receiver = services.startReceiver(Map.of("webhook.app.secret", SECRET));
            services.startFunnel(state, Map.of());
            stack.publishControl("receipts", new CampaignCommand(CampaignCommand.RUNNING, null, "publish",
                    Instant.now(), null, new CampaignPolicy("utility", null, null, null)));
            String user = ReadyJobs.recipient(3, 1);
            HttpResponse<String> answer = post(receiver, """
                    {"object":"whatsapp_business_account","entry":[{"id":"%s","changes":[{"field":"user_preferences",\
                    "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881",\
                    "phone_number_id":"%s"},"contacts":[{"profile":{"name":"Pablo"},"wa_id":"%s"}],\
                    "user_preferences":[{"wa_id":"%s","detail":"User requested to stop marketing messages",\
                    "category":"marketing_messages","value":"stop","timestamp":%d}]}}]}]}"""
                    .formatted(WABA, channel.numberId(), user, user, Instant.now().getEpochSecond()));
            assertThat(answer.statusCode()).isEqualTo(200);
            await("the opt-out in wa.optouts").atMost(WAIT).until(() -> stack.outputs().optOutRecords().stream()
                    .anyMatch(r -> user.equals(new String(r.key(), StandardCharsets.UTF_8)) && r.value() != null));
            stack.startSender(Map.of());

            stack.publish(List.of(template("promo", "promo/1", channel.id(), user),
                    template("receipts", "receipts/1", channel.id(), user)));
            JobResult promo = stack.outputs().awaitResult("promo", "promo/1", WAIT);
            JobResult receipt = stack.outputs().awaitResult("receipts", "receipts/1", WAIT);

            assertThat(promo.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(promo.error().code()).isEqualTo("opted_out");
            assertThat(receipt.outcome()).as("a utility template still goes").isEqualTo(Outcome.ACCEPTED);
            assertThat(stack.stats(channel.id()).accepted()).isEqualTo(1);
        }
    }

    @Test
    void aThroughputUpgradeRaisesANumberFrom80TowardsAThousandMessagesASecondWithoutRestart() throws Exception {
        TestChannel channel = TestChannel.meta("upgraded", 0, 80);
        try (SenderStack stack = SenderStack.create("platform-upgrade", List.of(channel));
             EventServices services = new EventServices(stack)) {
            WebhookReceiver receiver = services.startReceiver(Map.of("webhook.app.secret", SECRET));
            stack.sandbox.setWebhooks("{\"url\":\"http://127.0.0.1:" + receiver.port() + "/webhook\",\"app_secret\":\""
                    + SECRET + "\"}");
            stack.startSender(Map.of());
            stack.publish(ReadyJobs.texts("flood", channel.id(), 4, 3_000));
            await("sending at the old pace").atMost(WAIT).until(() -> stack.stats(channel.id()).accepted() >= 150);
            long before = stack.stats(channel.id()).peakPerSecond();

            long upgradedAt = System.currentTimeMillis() / 1000;
            assertThat(stack.sandbox.events().throughputUpgrade(channel.numberId(), Duration.ofSeconds(1)).status())
                    .as("the receiver took the event").isEqualTo(200);
            await("faster than the old limit").atMost(WAIT).until(() -> stack.stats(channel.id()).perSecond().stream()
                    .filter(s -> s.second() > upgradedAt).mapToLong(s -> s.accepted()).max().orElse(0) > 240);
            await("a few seconds at the new pace").pollDelay(Duration.ofSeconds(3)).until(() -> true);
            long after = stack.stats(channel.id()).perSecond().stream().filter(s -> s.second() > upgradedAt)
                    .mapToLong(s -> s.accepted()).max().orElse(0);

            assertThat(before).as("before: within the number's 80").isLessThanOrEqualTo(80);
            assertThat(stack.outputs().controlRecords().stream().map(r -> io.wabatch.common.control.ChannelCommand
                    .read(r.value())).filter(c -> c != null && Integer.valueOf(1_000).equals(c.mps())))
                    .as("the raised pace is shared with every sender through wa.control").isNotEmpty();
            FIGURES.info("THROUGHPUT_UPGRADE: peak {} msg/s before, {} msg/s after (sandbox's per-second counts), no "
                    + "restart", before, after);
        }
    }

    @Test
    void anAccountRestrictionPausesEveryNumberOfTheAccountUntilItExpires() throws Exception {
        TestChannel first = TestChannel.d360("restricted-a", 0, 20);
        TestChannel second = TestChannel.d360("restricted-b", 1, 20);
        first = first.inWaba(first.numberId());
        try (SenderStack stack = SenderStack.create("platform-restriction", List.of(first, second));
             EventServices services = new EventServices(stack)) {
            WebhookReceiver receiver = services.startReceiver(Map.of("webhook.app.secret", SECRET));
            stack.sandbox.setWebhooks("{\"url\":\"http://127.0.0.1:" + receiver.port() + "/webhook\",\"app_secret\":\""
                    + SECRET + "\"}");
            stack.startSender(Map.of());
            stack.publish(ReadyJobs.texts("spring", first.id(), 5, 400));
            stack.publish(ReadyJobs.texts("autumn", second.id(), 6, 400));
            TestChannel restricted = first;
            await("both send").atMost(WAIT).until(() -> stack.stats(restricted.id()).accepted() >= 20
                    && stack.stats(second.id()).accepted() >= 20);

            Instant expiry = Instant.now().plusSeconds(8);
            assertThat(stack.sandbox.events().accountRestriction(first.numberId(), "RESTRICTED_BIZ_INITIATED_MESSAGING",
                    expiry).status()).isEqualTo(200);
            await("the account's number paused").atMost(WAIT).until(() -> stack.outputs().controlRecords().stream()
                    .map(r -> io.wabatch.common.control.ChannelCommand.read(r.value()))
                    .anyMatch(c -> c != null && c.paused() && "platform".equals(c.by())));
            // What was in flight when the pause came lands within half a second; then nothing for 3 s.
            await("in flight settled").pollDelay(Duration.ofMillis(500)).until(() -> true);
            long pausedAt = stack.stats(first.id()).accepted();
            long otherAt = stack.stats(second.id()).accepted();
            await("nothing sent on the restricted account for 3 s").during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(5)).until(() -> stack.stats(restricted.id()).accepted() == pausedAt);

            assertThat(stack.stats(second.id()).accepted()).as("another account goes on").isGreaterThan(otherAt + 20);
            await("sending again after the expiry").atMost(WAIT)
                    .until(() -> stack.stats(restricted.id()).accepted() > pausedAt);
            FIGURES.info("account restriction: the account's number paused with {} sent and resumed after the "
                    + "expiry; the other account's number sent on", pausedAt);
        }
    }

    /** The campaign's latest command in wa.control when it is a pause by the platform, else null. */
    private static CampaignCommand pausedBy(SenderStack stack, String campaign) {
        CampaignCommand last = null;
        for (ConsumerRecord<byte[], byte[]> record : stack.outputs().controlRecords()) {
            if (campaign.equals(CampaignCommand.campaignOf(record.key()))) {
                last = CampaignCommand.read(record.value());
            }
        }
        return last != null && CampaignCommand.PAUSED.equals(last.state()) && "platform".equals(last.by()) ? last
                : null;
    }

    private HttpResponse<String> post(WebhookReceiver receiver, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + receiver.port() + "/webhook"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", "sha256=" + WebhookIT.sign(SECRET, bytes)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static ReadyJob template(String campaign, String jobId, String channel, String to) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "template");
        ObjectNode template = message.putObject("template").put("name", "spring_sale");
        template.putObject("language").put("code", "en_US");
        return ReadyJobs.job(campaign, jobId, channel, to, message, List.of(), 1);
    }
}
