package io.wabatch.sender.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.api.ApiEndpoint;
import io.wabatch.common.channel.Channel;
import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.control.CampaignPolicy;
import io.wabatch.common.secret.Secret;
import io.wabatch.sender.policy.MessagingPolicy.Decision;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The messaging rules with a fixed clock: the US marketing pause and the portfolio budgets here (the other
 * rules are proven end to end in PolicyIT, the budgets across senders in PortfolioBudgetIT). The recipient book is never started: nobody opted out, nobody wrote.
 */
class MessagingPolicyTest {

    private static final Instant NOW = Instant.parse("2026-12-07T15:00:00Z");
    private static final CampaignPolicy MARKETING = new CampaignPolicy("marketing", null, null, null);
    private static final CampaignPolicy UTILITY = new CampaignPolicy("utility", null, null, null);
    private static final String NEW_YORK = "12125550142";
    private static final String TORONTO = "14165550101";
    private static final String KINGSTON = "18765550123";

    private final RecipientBook recipients = new RecipientBook(Map.of("bootstrap.servers", "127.0.0.1:9"),
            "optouts", "inbound", null, Duration.ofHours(24), Clock.systemUTC());

    @AfterEach
    void close() {
        recipients.close();
    }

    @Test
    void marketingTemplatesToUsNumbersAreSkippedAndCanadianAndCaribbeanOnesAreSent() {
        MessagingPolicy policy = policy(NOW, true);

        Decision us = decide(policy, template("on", NEW_YORK), MARKETING);
        assertThat(us).isInstanceOf(Decision.Refuse.class);
        Decision.Refuse refusal = (Decision.Refuse) us;
        assertThat(refusal.code()).isEqualTo("us_marketing_pause");
        assertThat(refusal.details()).contains("2025-04-01").contains("131049").contains("--category utility")
                .contains("us_marketing_pause: false for channel on");
        assertThat(decide(policy, template("on", TORONTO), MARKETING)).isInstanceOf(Decision.Send.class);
        assertThat(decide(policy, template("on", KINGSTON), MARKETING)).isInstanceOf(Decision.Send.class);
    }

    @Test
    void theRuleCoversMarketingTemplatesOnly() {
        MessagingPolicy policy = policy(NOW, false);

        assertThat(decide(policy, template("on", NEW_YORK), UTILITY)).as("a utility campaign")
                .isInstanceOf(Decision.Send.class);
        assertThat(decide(policy, text("on", NEW_YORK), MARKETING)).as("a text in the service window")
                .isInstanceOf(Decision.Send.class);
        assertThat(decide(policy, template("on", NEW_YORK), CampaignPolicy.DEFAULT))
                .as("a campaign without a policy is marketing, the default").isInstanceOf(Decision.Refuse.class);
    }

    @Test
    void aChannelWithTheRuleOffSendsMarketingTemplatesToUsNumbers() {
        MessagingPolicy policy = policy(NOW, true);

        assertThat(decide(policy, template("off", NEW_YORK), MARKETING)).isInstanceOf(Decision.Send.class);
        assertThat(policy.lasting(template("off", NEW_YORK), MARKETING)).isNull();
        assertThat(policy.heldBack(template("off", NEW_YORK))).isNull();
    }

    @Test
    void theRuleHoldsFromTheFirstOfApril2025() {
        Instant since = Instant.parse("2025-04-01T00:00:00Z");

        assertThat(decide(policy(since.minusSeconds(1), true), template("on", NEW_YORK), MARKETING))
                .isInstanceOf(Decision.Send.class);
        assertThat(decide(policy(since, true), template("on", NEW_YORK), MARKETING))
                .isInstanceOf(Decision.Refuse.class);
    }

    @Test
    void theSkipIsLastingAndA131049ToAUsTemplateGetsTheRulesOutcomeWhateverTheCategory() {
        MessagingPolicy policy = policy(NOW, true);

        assertThat(policy.lasting(template("on", NEW_YORK), MARKETING)).extracting(Decision.Refuse::code)
                .isEqualTo("us_marketing_pause");
        assertThat(policy.lasting(template("on", NEW_YORK), UTILITY)).isNull();
        assertThat(policy.lasting(template("on", TORONTO), MARKETING)).isNull();
        Decision.Refuse heldBack = policy.heldBack(template("on", NEW_YORK));
        assertThat(heldBack.code()).isEqualTo("us_marketing_pause");
        assertThat(heldBack.details()).contains("131049").contains("not resent");
        assertThat(policy.heldBack(template("on", TORONTO))).as("Canada: 131049 is the per-user limit").isNull();
        assertThat(policy.heldBack(text("on", NEW_YORK))).as("not a template").isNull();
    }

    @Test
    void twoNumbersOfAPortfolioShareItsTierAndAUserOverTheMarketingCapWaitsOrIsSkippedAsTheCampaignSays() {
        Channel a = budgeted("a", 2);
        Channel b = budgeted("b", 3);
        MessagingPolicy policy = new MessagingPolicy(new MessagingPolicy.Settings(true, false, Duration.ofHours(24)),
                recipients, PortfolioClaims.inMemory(), Duration.ofHours(24), Duration.ofHours(12),
                ChannelRegistry.of(List.of(a, b)), new PortfolioLimits(), Clock.fixed(NOW, ZoneOffset.UTC));
        CampaignPolicy skipping = new CampaignPolicy("marketing", null, null, null, null, CampaignPolicy.SKIP);

        assertThat(decide(policy, template("a", "447700900001"), UTILITY)).isInstanceOf(Decision.Send.class);
        assertThat(decide(policy, template("b", "447700900002"), UTILITY)).isInstanceOf(Decision.Send.class);
        Decision third = decide(policy, template("b", "447700900003"), UTILITY);
        assertThat(third).as("the portfolio's tier of 2 is used by the two numbers together")
                .isEqualTo(new Decision.Defer(NOW.plus(Duration.ofHours(24)), "tier"));

        assertThat(decide(policy, template("a", "447700900001"), MARKETING)).as("the first marketing template")
                .isInstanceOf(Decision.Send.class);
        assertThat(decide(policy, template("b", "447700900001"), MARKETING)).as("over the cap of 1: waits")
                .isEqualTo(new Decision.Defer(NOW.plus(Duration.ofHours(12)), "marketing_cap"));
        Decision skipped = decide(policy, template("b", "447700900001"), skipping);
        assertThat(skipped).isInstanceOf(Decision.Refuse.class);
        assertThat(((Decision.Refuse) skipped).code()).isEqualTo("marketing_cap");
        assertThat(((Decision.Refuse) skipped).details()).contains("1 marketing templates").contains("portfolio 42")
                .contains("--over-cap skip");
        assertThat(decide(policy, template("b", "447700900001"), UTILITY)).as("the cap counts marketing only")
                .isInstanceOf(Decision.Send.class);
    }

    @Test
    void aLimitThePlatformAnnouncesReplacesTheRegistrysTierForThePortfoliosNumbers() {
        Channel a = budgeted("a", 2);
        Channel b = budgeted("b", 3);
        PortfolioLimits limits = new PortfolioLimits();
        MessagingPolicy policy = new MessagingPolicy(new MessagingPolicy.Settings(true, false, Duration.ofHours(24)),
                recipients, PortfolioClaims.inMemory(), Duration.ofHours(24), Duration.ofHours(12),
                ChannelRegistry.of(List.of(a, b)), limits, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(limits.announce("42", 3, a.tier())).isTrue();

        assertThat(decide(policy, template("a", "447700900001"), UTILITY)).isInstanceOf(Decision.Send.class);
        assertThat(decide(policy, template("b", "447700900002"), UTILITY)).isInstanceOf(Decision.Send.class);
        assertThat(decide(policy, template("b", "447700900003"), UTILITY)).as("registry tier 2, announced 3")
                .isInstanceOf(Decision.Send.class);
        assertThat(decide(policy, template("a", "447700900004"), UTILITY)).as("the announced limit is used up")
                .isEqualTo(new Decision.Defer(NOW.plus(Duration.ofHours(24)), "tier"));

        assertThat(limits.announce("42", PortfolioLimits.UNLIMITED, a.tier())).isTrue();
        assertThat(decide(policy, template("a", "447700900004"), UTILITY)).as("unlimited")
                .isInstanceOf(Decision.Send.class);
        assertThat(limits.announce("42", PortfolioLimits.UNLIMITED, a.tier())).as("no change").isFalse();
    }

    private static Channel budgeted(String id, int partition) {
        return new Channel(id, ApiEndpoint.d360(URI.create("http://127.0.0.1:9"), Secret.of("key")), null, partition,
                80, Channel.DEFAULT_HEADROOM, 1, Channel.DEFAULT_UPLOAD_RATE, 2,
                new Channel.Business("42", false, true, 1));
    }

    private static Decision decide(MessagingPolicy policy, ReadyJob job, CampaignPolicy campaign) {
        return policy.check(job, campaign).toCompletableFuture().join();
    }

    private MessagingPolicy policy(Instant now, boolean enforceWindow) {
        ChannelRegistry registry = ChannelRegistry.of(List.of(channel("on", 0, true), channel("off", 1, false)));
        return new MessagingPolicy(new MessagingPolicy.Settings(true, enforceWindow, Duration.ofHours(24)),
                recipients, PortfolioClaims.inMemory(), Duration.ofHours(24), Duration.ofHours(24), registry,
                new PortfolioLimits(), Clock.fixed(now, ZoneOffset.UTC));
    }

    private static Channel channel(String id, int partition, boolean usMarketingPause) {
        return new Channel(id, ApiEndpoint.d360(URI.create("http://127.0.0.1:9"), Secret.of("key")), null, partition,
                80, Channel.DEFAULT_HEADROOM, 1, Channel.DEFAULT_UPLOAD_RATE, null,
                new Channel.Business(null, false, usMarketingPause));
    }

    static ReadyJob template(String channel, String to) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "template");
        message.putObject("template").put("name", "spring_sale").putObject("language").put("code", "en_US");
        return job(channel, to, message);
    }

    private static ReadyJob text(String channel, String to) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "text");
        message.putObject("text").put("body", "20% off this week");
        return job(channel, to, message);
    }

    private static ReadyJob job(String channel, String to, ObjectNode message) {
        return new ReadyJob(1, "spring/" + channel + "/" + to, "spring", channel, to, message, List.of(), null, null, null, null, 1,
                NOW, NOW);
    }
}
