package io.wabatch.funnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.OptOut;
import io.wabatch.common.contract.PlatformEvent;
import io.wabatch.common.control.CampaignCommand;
import io.wabatch.common.control.CampaignPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

/** What the funnel makes of the platform's events: commands for a template's campaigns, opt-outs. */
class PlatformStreamsTest {

    private static final Instant NOW = Instant.parse("2026-12-07T19:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void aPausedTemplatePausesItsRunningCampaignsAndAnApprovalResumesOnlyThoseThatAskedAndThePlatformPaused() {
        PlatformStreams.CampaignsOfTemplate campaigns = new PlatformStreams.CampaignsOfTemplate()
                .with("spring", command(CampaignCommand.RUNNING, "publish", false))
                .with("summer", command(CampaignCommand.RUNNING, "publish", true))
                .with("winter", command(CampaignCommand.PAUSED, "operator", true))
                .with("autumn", command(CampaignCommand.CANCELLED, "operator", true));
        List<String> told = new ArrayList<>();

        Map<String, CampaignCommand> paused = decode(PlatformStreams.commands(
                new PlatformStreams.TemplateStatus(templateEvent("PAUSED"), campaigns), CLOCK,
                (campaign, reason) -> told.add(campaign)));
        assertThat(paused).containsOnlyKeys("spring", "summer");
        assertThat(paused.values()).allSatisfy(c -> {
            assertThat(c.state()).isEqualTo(CampaignCommand.PAUSED);
            assertThat(c.by()).isEqualTo("platform");
            assertThat(c.reason()).contains("spring_sale (en_US) to PAUSED").contains("(LOW_QUALITY)");
            assertThat(c.published()).as("the policy and count stay").isEqualTo(100L);
        });
        assertThat(paused.get("spring").reason()).contains("wabatch campaign resume spring");
        assertThat(told).containsExactlyInAnyOrder("spring", "summer");

        PlatformStreams.CampaignsOfTemplate after = new PlatformStreams.CampaignsOfTemplate()
                .with("spring", paused.get("spring")).with("summer", paused.get("summer"))
                .with("winter", command(CampaignCommand.PAUSED, "operator", true));
        Map<String, CampaignCommand> approved = decode(PlatformStreams.commands(
                new PlatformStreams.TemplateStatus(templateEvent("APPROVED"), after), CLOCK, (c, r) -> { }));
        assertThat(approved).as("summer asked to resume; spring did not; winter was paused by an operator")
                .containsOnlyKeys("summer");
        assertThat(approved.get("summer").state()).isEqualTo(CampaignCommand.RUNNING);
        assertThat(decode(PlatformStreams.commands(new PlatformStreams.TemplateStatus(templateEvent("FLAGGED"),
                campaigns), CLOCK, (c, r) -> { }))).as("flagged: still approved").isEmpty();
    }

    @Test
    void aMarketingStopOptsTheUserOutUnderTheirNumberOrTheirBsuidAndAResumeOptsThemBackIn() throws Exception {
        List<KeyValue<byte[], byte[]>> stop = PlatformStreams.optOut(preference("stop", "16505551234", null), CLOCK);
        assertThat(stop).hasSize(1);
        assertThat(new String(stop.get(0).key, StandardCharsets.UTF_8)).isEqualTo("16505551234");
        assertThat(OptOut.decode(stop.get(0).value).source()).isEqualTo("user_preferences:stop");

        List<KeyValue<byte[], byte[]>> byBsuid = PlatformStreams.optOut(
                preference("stop", null, "US.13491208655302741918"), CLOCK);
        assertThat(new String(byBsuid.get(0).key, StandardCharsets.UTF_8)).isEqualTo("US.13491208655302741918");

        List<KeyValue<byte[], byte[]>> resume = PlatformStreams.optOut(preference("resume", "16505551234", null),
                CLOCK);
        assertThat(resume).hasSize(1);
        assertThat(resume.get(0).value).as("a tombstone").isNull();
        assertThat(PlatformStreams.optOut(templateEvent("PAUSED"), CLOCK)).isEmpty();
    }

    private static CampaignCommand command(String state, String by, boolean resumeOnApproval) {
        return new CampaignCommand(state, null, by, NOW.minusSeconds(60), 100L, new CampaignPolicy("marketing", null,
                null, null, null, CampaignPolicy.WAIT, new CampaignPolicy.Template("spring_sale", "en_US",
                resumeOnApproval)));
    }

    private static PlatformEvent templateEvent(String event) {
        return new PlatformEvent(PlatformEvent.TEMPLATE_STATUS, event, "102290129340398", "k", NOW, NOW,
                new PlatformEvent.Subject(null, null, "594425479261596", "spring_sale", "en_US", null, null),
                Map.of("reason", "LOW_QUALITY"), null);
    }

    private static PlatformEvent preference(String value, String phone, String userId) {
        return new PlatformEvent(PlatformEvent.USER_PREFERENCES, value, "102290129340398", "k", NOW, NOW,
                new PlatformEvent.Subject("106540352242922", null, null, null, null, phone, userId),
                Map.of("category", "marketing_messages"), null);
    }

    private static Map<String, CampaignCommand> decode(List<KeyValue<byte[], byte[]>> records) {
        Map<String, CampaignCommand> commands = new java.util.HashMap<>();
        records.forEach(r -> commands.put(CampaignCommand.campaignOf(r.key), CampaignCommand.read(r.value)));
        return commands;
    }
}
