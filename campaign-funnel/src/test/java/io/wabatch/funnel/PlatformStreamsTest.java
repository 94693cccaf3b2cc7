package io.wabatch.funnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabatch.common.contract.OptOut;
import io.wabatch.common.contract.PlatformEvent;
import io.wabatch.common.control.CampaignCommand;
import io.wabatch.common.control.CampaignPolicy;
import io.wabatch.common.control.CampaignWarning;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

/** What the funnel makes of the platform's events: commands and warnings for a template's campaigns, opt-outs. */
class PlatformStreamsTest {

    private static final Instant NOW = Instant.parse("2026-12-07T19:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private final List<String> acted = new ArrayList<>();
    private final PlatformStreams.Acted recorder = (field, action, campaign, reason) ->
            acted.add(field + "/" + action + "/" + campaign);

    @Test
    void aPausedTemplatePausesItsRunningCampaignsAndAnApprovalResumesOnlyThoseThatAskedAndThePlatformPaused() {
        Map<String, CampaignCommand> campaigns = Map.of(
                "spring", command(CampaignCommand.RUNNING, "publish", "marketing", false, false),
                "summer", command(CampaignCommand.RUNNING, "publish", "marketing", true, false),
                "winter", command(CampaignCommand.PAUSED, "operator", "marketing", true, false),
                "autumn", command(CampaignCommand.CANCELLED, "operator", "marketing", true, false));

        Map<String, CampaignCommand> paused = commands(decideAll(campaigns, templateEvent("PAUSED")));
        assertThat(paused).containsOnlyKeys("spring", "summer");
        assertThat(paused.values()).allSatisfy(c -> {
            assertThat(c.state()).isEqualTo(CampaignCommand.PAUSED);
            assertThat(c.by()).isEqualTo("platform");
            assertThat(c.reason()).contains("spring_sale (en_US) to PAUSED").contains("(LOW_QUALITY)");
            assertThat(c.published()).as("the policy and count stay").isEqualTo(100L);
        });
        assertThat(paused.get("spring").reason()).contains("wabatch campaign resume spring");
        assertThat(acted).containsExactlyInAnyOrder("message_template_status_update/pause/spring",
                "message_template_status_update/pause/summer");

        Map<String, CampaignCommand> after = new HashMap<>(paused);
        after.put("winter", campaigns.get("winter"));
        Map<String, CampaignCommand> approved = commands(decideAll(after, templateEvent("APPROVED")));
        assertThat(approved).as("summer asked to resume; spring did not; winter was paused by an operator")
                .containsOnlyKeys("summer");
        assertThat(approved.get("summer").state()).isEqualTo(CampaignCommand.RUNNING);
        assertThat(decideAll(campaigns, templateEvent("FLAGGED"))).as("flagged: still approved").isEmpty();
    }

    @Test
    void anApprovalDoesNotResumeACampaignThePlatformPausedForItsCategory() {
        CampaignCommand pausedForCategory = command(CampaignCommand.RUNNING, "publish", "utility", true, false)
                .to(CampaignCommand.PAUSED, "WhatsApp changed template spring_sale (en_US)'s category ...", "platform",
                        NOW);
        assertThat(PlatformStreams.decide("spring", templateEvent("APPROVED"), pausedForCategory, CLOCK, recorder))
                .isEmpty();
    }

    @Test
    void aRedQualityWarnsTheTemplatesCampaignsAndAnotherScoreClearsTheWarning() {
        CampaignCommand running = command(CampaignCommand.RUNNING, "publish", "marketing", false, false);
        List<KeyValue<byte[], byte[]>> red = PlatformStreams.decide("spring", event(PlatformEvent.TEMPLATE_QUALITY,
                "RED", Map.of("previous_quality_score", "YELLOW")), running, CLOCK, recorder);
        assertThat(red).hasSize(1);
        assertThat(CampaignWarning.keyOf(red.get(0).key))
                .isEqualTo(new CampaignWarning.Key("spring", CampaignWarning.TEMPLATE_QUALITY));
        CampaignWarning warning = CampaignWarning.read(red.get(0).value);
        assertThat(warning.text()).contains("spring_sale (en_US)").contains("RED (was YELLOW)");
        assertThat(warning.at()).isEqualTo(NOW.minusSeconds(5));
        assertThat(CampaignCommand.campaignOf(red.get(0).key)).as("not a command: the state stays").isNull();

        List<KeyValue<byte[], byte[]>> green = PlatformStreams.decide("spring", event(PlatformEvent.TEMPLATE_QUALITY,
                "GREEN", Map.of()), running, CLOCK, recorder);
        assertThat(green).hasSize(1);
        assertThat(green.get(0).value).as("a tombstone clears the warning").isNull();
        assertThat(acted).containsExactly("message_template_quality_update/warn/spring",
                "message_template_quality_update/clear/spring");
    }

    @Test
    void anImpendingCategoryChangeWarnsWithItsDateAndSaysAUtilityCampaignWillPause() {
        CampaignCommand utility = command(CampaignCommand.RUNNING, "publish", "utility", false, false);
        List<KeyValue<byte[], byte[]>> out = PlatformStreams.decide("orders", event(PlatformEvent.TEMPLATE_CATEGORY,
                "IMPENDING", Map.of("correct_category", "MARKETING", "new_category", "UTILITY",
                        "category_update_at", "2026-12-08T00:00:00Z")), utility, CLOCK, recorder);
        assertThat(out).hasSize(1);
        assertThat(CampaignWarning.read(out.get(0).value).text())
                .contains("from utility to marketing on 2026-12-08T00:00:00Z")
                .contains("will pause then unless it was published with --allow-category-change");
    }

    @Test
    void aCompletedChangeToMarketingMakesTheCampaignMarketingAndPausesItUnlessItAllowedTheChange() {
        PlatformEvent completed = event(PlatformEvent.TEMPLATE_CATEGORY, "COMPLETED",
                Map.of("previous_category", "UTILITY", "new_category", "MARKETING"));

        Map<String, CampaignCommand> strict = commands(PlatformStreams.decide("orders", completed,
                command(CampaignCommand.RUNNING, "publish", "utility", false, false), CLOCK, recorder));
        assertThat(strict.get("orders").state()).isEqualTo(CampaignCommand.PAUSED);
        assertThat(strict.get("orders").reason()).contains("from utility to marketing")
                .contains("wabatch campaign resume orders");
        assertThat(strict.get("orders").effectivePolicy().category()).as("opt-outs apply from now on")
                .isEqualTo("marketing");

        Map<String, CampaignCommand> allowed = commands(PlatformStreams.decide("receipts", completed,
                command(CampaignCommand.RUNNING, "publish", "utility", false, true), CLOCK, recorder));
        assertThat(allowed.get("receipts").state()).isEqualTo(CampaignCommand.RUNNING);
        assertThat(allowed.get("receipts").effectivePolicy().category()).isEqualTo("marketing");

        List<KeyValue<byte[], byte[]>> marketing = PlatformStreams.decide("spring", completed,
                command(CampaignCommand.RUNNING, "publish", "marketing", false, false), CLOCK, recorder);
        assertThat(commands(marketing)).as("already marketing: only a warning").isEmpty();
        assertThat(marketing).hasSize(1);
        assertThat(acted).containsExactly("template_category_update/pause/orders",
                "template_category_update/warn/orders", "template_category_update/warn/receipts",
                "template_category_update/warn/spring");
    }

    @Test
    void campaignsOfATemplateNameAreMatchedByLanguageOrAllWhenTheEventNamesNone() {
        PlatformStreams.CampaignsOfTemplate campaigns = new PlatformStreams.CampaignsOfTemplate()
                .with("english", command(CampaignCommand.RUNNING, "publish", "marketing", false, false))
                .with("dutch", new CampaignCommand(CampaignCommand.RUNNING, null, "publish", NOW, 1L,
                        new CampaignPolicy("marketing", null, null, null, null, CampaignPolicy.WAIT,
                                new CampaignPolicy.Template("spring_sale", "nl", false))));
        assertThat(campaigns.sending("EN_us")).containsExactly("english");
        assertThat(campaigns.sending(null)).containsExactly("dutch", "english");
    }

    @Test
    void aMarketingStopOptsTheUserOutUnderTheirNumberOrTheirBsuidAndAResumeOptsThemBackIn() throws Exception {
        List<KeyValue<byte[], byte[]>> stop = PlatformStreams.optOut(preference("stop", "16505551234", null), CLOCK,
                recorder);
        assertThat(stop).hasSize(1);
        assertThat(new String(stop.get(0).key, StandardCharsets.UTF_8)).isEqualTo("16505551234");
        assertThat(OptOut.decode(stop.get(0).value).source()).isEqualTo("user_preferences:stop");

        List<KeyValue<byte[], byte[]>> byBsuid = PlatformStreams.optOut(
                preference("stop", null, "US.13491208655302741918"), CLOCK, recorder);
        assertThat(new String(byBsuid.get(0).key, StandardCharsets.UTF_8)).isEqualTo("US.13491208655302741918");

        List<KeyValue<byte[], byte[]>> resume = PlatformStreams.optOut(preference("resume", "16505551234", null),
                CLOCK, recorder);
        assertThat(resume).hasSize(1);
        assertThat(resume.get(0).value).as("a tombstone").isNull();
        assertThat(PlatformStreams.optOut(templateEvent("PAUSED"), CLOCK, recorder)).isEmpty();
        assertThat(acted).containsExactly("user_preferences/opt_out/null", "user_preferences/opt_out/null",
                "user_preferences/opt_in/null");
    }

    private List<KeyValue<byte[], byte[]>> decideAll(Map<String, CampaignCommand> campaigns, PlatformEvent event) {
        List<KeyValue<byte[], byte[]>> out = new ArrayList<>();
        campaigns.forEach((campaign, command) -> out.addAll(PlatformStreams.decide(campaign, event, command, CLOCK,
                recorder)));
        return out;
    }

    private static CampaignCommand command(String state, String by, String category, boolean resumeOnApproval,
                                           boolean allowCategoryChange) {
        return new CampaignCommand(state, null, by, NOW.minusSeconds(60), 100L, new CampaignPolicy(category, null,
                null, null, null, CampaignPolicy.WAIT, new CampaignPolicy.Template("spring_sale", "en_US",
                resumeOnApproval, allowCategoryChange)));
    }

    private static PlatformEvent templateEvent(String event) {
        return event(PlatformEvent.TEMPLATE_STATUS, event, Map.of("reason", "LOW_QUALITY"));
    }

    private static PlatformEvent event(String field, String event, Map<String, String> details) {
        return new PlatformEvent(field, event, "102290129340398", "k", NOW.minusSeconds(5), NOW,
                new PlatformEvent.Subject(null, null, "594425479261596", "spring_sale", "en_US", null, null),
                details, null);
    }

    private static PlatformEvent preference(String value, String phone, String userId) {
        return new PlatformEvent(PlatformEvent.USER_PREFERENCES, value, "102290129340398", "k", NOW, NOW,
                new PlatformEvent.Subject("106540352242922", null, null, null, null, phone, userId),
                Map.of("category", "marketing_messages"), null);
    }

    /** The commands among the records, by campaign (warnings left out). */
    private static Map<String, CampaignCommand> commands(List<KeyValue<byte[], byte[]>> records) {
        Map<String, CampaignCommand> commands = new HashMap<>();
        records.stream().filter(r -> CampaignCommand.campaignOf(r.key) != null)
                .forEach(r -> commands.put(CampaignCommand.campaignOf(r.key), CampaignCommand.read(r.value)));
        return commands;
    }
}
