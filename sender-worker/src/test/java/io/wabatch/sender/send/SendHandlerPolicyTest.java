package io.wabatch.sender.send;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.wabatch.common.api.ApiEndpoint;
import io.wabatch.common.api.ApiError;
import io.wabatch.common.api.ApiResult;
import io.wabatch.common.api.MessageAccepted;
import io.wabatch.common.channel.Channel;
import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.contract.InDoubtPolicy;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.control.CampaignCommand;
import io.wabatch.common.control.CampaignPolicy;
import io.wabatch.common.kafka.DeferTiers;
import io.wabatch.common.kafka.Outputs;
import io.wabatch.common.kafka.TopicNames;
import io.wabatch.common.secret.Secret;
import io.wabatch.sender.control.CampaignControl;
import io.wabatch.sender.control.ChannelControl;
import io.wabatch.sender.defer.Deferrals;
import io.wabatch.sender.pace.AdaptivePace;
import io.wabatch.sender.pace.PairPacer;
import io.wabatch.sender.policy.MessagingPolicy;
import io.wabatch.sender.policy.RecipientBook;
import io.wabatch.sender.policy.PortfolioClaims;
import io.wabatch.sender.policy.PortfolioLimits;
import io.wabatch.sender.retry.Backoff;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The campaign deadline ({@code send_before}) and the US marketing pause in the send stage, at a fixed
 * instant: the handler runs for real on a Vert.x context with the messaging policy; only the API (a
 * scripted client) is a fake. Every case here ends before any timer, so the fixed clock never has to move.
 */
@Timeout(20)
class SendHandlerPolicyTest {

    private static final Instant NOW = Instant.parse("2026-12-07T15:00:00Z");
    private static final TopicNames TOPICS = TopicNames.defaults().withDeferTiers(DeferTiers.parse("1m,1h"));
    private static final String NEW_YORK = "12125550142";
    private static final String TORONTO = "14165550101";

    private final Vertx vertx = Vertx.vertx();
    private final ScriptedApi api = new ScriptedApi(ApiEndpoint.d360(URI.create("http://127.0.0.1:9"), Secret.of("key")));
    private final CampaignControl campaigns = new CampaignControl();
    private final RecipientBook recipients = new RecipientBook(Map.of("bootstrap.servers", "127.0.0.1:9"),
            "optouts", "inbound", null, Duration.ofHours(24), Clock.systemUTC());
    private Channel channel = channel(true);

    @AfterEach
    void close() {
        recipients.close();
        vertx.close();
    }

    @Test
    void aPausedCampaignsJobPastItsSendBeforeExpiresWithoutACallInsteadOfWaitingAgain() throws Exception {
        campaign("offer", CampaignCommand.PAUSED, policy("marketing", null, NOW.minusSeconds(1)));

        List<ProducerRecord<byte[], byte[]>> out = handle(template("offer", TORONTO, 1, null));

        JobResult result = result(out);
        assertThat(result.outcome()).isEqualTo(Outcome.EXPIRED);
        assertThat(result.error().details()).isEqualTo("campaign offer's send_before " + NOW.minusSeconds(1)
                + " passed while campaign offer was paused");
        assertThat(deferred(out)).isEmpty();
        assertThat(api.bodies).isEmpty();
    }

    @Test
    void aPausedCampaignsJobBeforeItsSendBeforeWaitsInTheDeferredTopics() throws Exception {
        campaign("offer", CampaignCommand.PAUSED, policy("marketing", null, NOW.plusSeconds(3600)));

        List<ProducerRecord<byte[], byte[]>> out = handle(template("offer", TORONTO, 1, null));

        assertThat(results(out)).isEmpty();
        assertThat(deferred(out)).hasSize(1);
        assertThat(api.bodies).isEmpty();
    }

    @Test
    void aRunningCampaignsJobPastItsSendBeforeExpiresWithoutACall() throws Exception {
        campaign("offer", CampaignCommand.RUNNING, policy("marketing", null, NOW));

        JobResult result = result(handle(template("offer", TORONTO, 1, null)));

        assertThat(result.outcome()).isEqualTo(Outcome.EXPIRED);
        assertThat(result.error().details()).isEqualTo("campaign offer's send_before " + NOW + " passed");
        assertThat(api.bodies).isEmpty();
    }

    @Test
    void aJobWhoseQuietHoursEndAfterTheSendBeforeExpiresAtOnceInsteadOfBeingDeferred() throws Exception {
        // Quiet 14:00-16:00 UTC, now 15:00: due at 16:00, after the 15:30 deadline.
        campaign("offer", CampaignCommand.RUNNING, policy("marketing", "14:00", NOW.plusSeconds(1800)));

        List<ProducerRecord<byte[], byte[]>> out = handle(template("offer", TORONTO, 1, null));

        JobResult result = result(out);
        assertThat(result.outcome()).isEqualTo(Outcome.EXPIRED);
        assertThat(result.error().details()).isEqualTo("it could not be sent before 2026-12-07T16:00:00Z "
                + "(quiet_hours), after its campaign offer's send_before " + NOW.plusSeconds(1800));
        assertThat(deferred(out)).isEmpty();
        assertThat(api.bodies).isEmpty();
    }

    @Test
    void aMarketingTemplateToAUsNumberIsSkippedAndACanadianOneSent() throws Exception {
        campaign("spring", CampaignCommand.RUNNING, policy("marketing", null, null));

        JobResult us = result(handle(template("spring", NEW_YORK, 1, null)));
        JobResult canada = result(handle(template("spring", TORONTO, 1, null)));

        assertThat(us.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(us.error().code()).isEqualTo("us_marketing_pause");
        assertThat(us.attempts()).isZero();
        assertThat(canada.outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(api.bodies).singleElement().satisfies(b -> assertThat(b.get("to").asText()).isEqualTo("+" + TORONTO));
    }

    @Test
    void a131049ResendToAUsNumberGetsTheRulesOutcomeOnArrivalNotADayLater() throws Exception {
        campaign("spring", CampaignCommand.RUNNING, policy("marketing", null, null));
        // What the funnel sends again after a 131049 status: the next generation, not before a day later.
        ReadyJob resend = template("spring", NEW_YORK, 2, NOW.plus(Duration.ofHours(24)));

        List<ProducerRecord<byte[], byte[]>> out = handle(resend);

        JobResult result = result(out);
        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.error().code()).isEqualTo("us_marketing_pause");
        assertThat(result.generation()).isEqualTo(2);
        assertThat(deferred(out)).as("not deferred for a day").isEmpty();
        assertThat(api.bodies).isEmpty();
    }

    @Test
    void a131049AnswerToAUsTemplateFailsWithTheRulesCodeWhileTheRuleIsOn() throws Exception {
        campaign("receipts", CampaignCommand.RUNNING, policy("utility", null, null));
        api.answers.add(heldBack());
        api.answers.add(heldBack());

        JobResult us = result(handle(template("receipts", NEW_YORK, 1, null)));
        JobResult canada = result(handle(template("receipts", TORONTO, 1, null)));

        assertThat(us.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(us.error().code()).as("a utility campaign is sent, but Meta's 131049 is the pause")
                .isEqualTo("us_marketing_pause");
        assertThat(us.error().details()).contains("not resent");
        assertThat(canada.error().code()).as("elsewhere 131049 is the per-user limit").isEqualTo("131049");
        assertThat(api.bodies).hasSize(2);
    }

    @Test
    void withTheRuleOffAUsMarketingTemplateIsSentAndA131049StaysA131049() throws Exception {
        channel = channel(false);
        campaign("spring", CampaignCommand.RUNNING, policy("marketing", null, null));
        api.answers.add(heldBack());

        JobResult us = result(handle(template("spring", NEW_YORK, 1, null)));

        assertThat(us.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(us.error().code()).isEqualTo("131049");
        assertThat(api.bodies).hasSize(1);
    }

    private static ApiResult<MessageAccepted> heldBack() {
        return ApiResult.failed(new ApiError(400, 131049, null, "This message was not delivered to maintain healthy "
                + "ecosystem engagement.", "held back", null, false));
    }

    private static CampaignPolicy policy(String category, String quietStart, Instant sendBefore) {
        return new CampaignPolicy(category, quietStart, quietStart == null ? null : "16:00",
                quietStart == null ? null : "UTC", sendBefore);
    }

    private void campaign(String id, String state, CampaignPolicy policy) {
        campaigns.apply(id, new CampaignCommand(state, "test", "operator", NOW, 1L, policy));
    }

    private SendHandler handler() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        ChannelRegistry registry = ChannelRegistry.of(List.of(channel));
        AdaptivePace pace = new AdaptivePace(vertx, List.of(channel),
                new AdaptivePace.Settings(0.7, Duration.ofSeconds(1), Duration.ofSeconds(1), 0.05, 0.1));
        ChannelControl channels = new ChannelControl(vertx, registry, pace, c -> api, (c, command) -> { },
                new ChannelControl.Settings(Duration.ofMinutes(1), Duration.ZERO), Clock.systemUTC());
        MessagingPolicy rules = new MessagingPolicy(new MessagingPolicy.Settings(true, false, Duration.ofHours(24)),
                recipients, PortfolioClaims.inMemory(), Duration.ofHours(24), Duration.ofHours(24), registry,
                new PortfolioLimits(), clock);
        SendHandler.Policy policy = new SendHandler.Policy(new Backoff(Duration.ofMillis(1), Duration.ofMillis(2)), 5,
                Duration.ofMillis(1), InDoubtPolicy.PARK);
        return new SendHandler(vertx, pace, new PairPacer(vertx, Duration.ofMillis(1), 45), channels, campaigns, rules,
                c -> channel.id().equals(c) ? api : null, new Outputs(TOPICS, "send", new SimpleMeterRegistry()),
                new Deferrals(TOPICS), null, policy, new SenderMetrics(new SimpleMeterRegistry()), null, clock);
    }

    private List<ProducerRecord<byte[], byte[]>> handle(ReadyJob job) throws Exception {
        SendHandler handler = handler();
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(TOPICS.ready(), channel.partition(), 0L,
                job.key().getBytes(StandardCharsets.UTF_8), Json.bytes(job));
        CompletableFuture<List<ProducerRecord<byte[], byte[]>>> done = new CompletableFuture<>();
        vertx.runOnContext(v -> handler.handle(record).onComplete(ar -> {
            if (ar.succeeded()) {
                done.complete(ar.result());
            } else {
                done.completeExceptionally(ar.cause());
            }
        }));
        return done.get(10, TimeUnit.SECONDS);
    }

    private static Channel channel(boolean usMarketingPause) {
        return new Channel("acme", ApiEndpoint.d360(URI.create("http://127.0.0.1:9"), Secret.of("key")), null, 0, 80,
                Channel.DEFAULT_HEADROOM, 1, Channel.DEFAULT_UPLOAD_RATE, null,
                new Channel.Business(null, false, usMarketingPause));
    }

    private ReadyJob template(String campaign, String to, int generation, Instant notBefore) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "template");
        message.putObject("template").put("name", "spring_sale").putObject("language").put("code", "en_US");
        return new ReadyJob(1, campaign + "/" + to, campaign, channel.id(), to, message, List.of(), null, notBefore,
                null, null, generation, NOW, NOW);
    }

    private static List<JobResult> results(List<ProducerRecord<byte[], byte[]>> out) throws Exception {
        List<JobResult> results = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : out) {
            if (r.topic().equals(TOPICS.results())) {
                results.add(Json.read(r.value(), JobResult.class));
            }
        }
        return results;
    }

    private static JobResult result(List<ProducerRecord<byte[], byte[]>> out) throws Exception {
        List<JobResult> results = results(out);
        assertThat(results).hasSize(1);
        return results.get(0);
    }

    private static List<ProducerRecord<byte[], byte[]>> deferred(List<ProducerRecord<byte[], byte[]>> out) {
        return out.stream().filter(r -> r.topic().startsWith(TOPICS.deferred())).toList();
    }
}
