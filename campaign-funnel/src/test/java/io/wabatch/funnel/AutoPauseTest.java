package io.wabatch.funnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabatch.common.contract.CampaignFunnel;
import io.wabatch.common.control.CampaignCommand;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AutoPauseTest {

    private static final FunnelTopology.Settings THRESHOLD = new FunnelTopology.Settings(0.2, 50, Duration.ofDays(1),
            Set.of("STOP"), Set.of("START"));

    @Test
    void aPausedOrDisabledTemplatePausesAtOnceNamingTheCode() {
        String reason = AutoPause.reason(funnel(CampaignCommand.RUNNING, null, 1, 0, Map.of("132015", 1L)), THRESHOLD);
        assertThat(reason).startsWith("the template was paused by WhatsApp (132015, 1 failures)")
                .contains("wabatch campaign resume spring");
        assertThat(AutoPause.reason(funnel(CampaignCommand.RUNNING, null, 1, 0, Map.of("132016", 1L)), THRESHOLD))
                .contains("disabled");
    }

    @Test
    void theFailureRatioCountsOnlyJobsWithAKnownFateAndNotThePolicysOwnRefusals() {
        // 15 failed of 65 known (23 %) passes 20 %; 40 refused by policy do not count
        assertThat(AutoPause.reason(funnel(CampaignCommand.RUNNING, null, 15, 50, Map.of("131026", 15L)), THRESHOLD))
                .startsWith("15 of 65 jobs with a known fate failed (23 %, threshold 20 %), most with 131026");
        assertThat(AutoPause.reason(funnel(CampaignCommand.RUNNING, null, 55, 50,
                Map.of("131026", 10L, "opted_out", 40L, "outside_window", 5L)), THRESHOLD)).isNull();
        assertThat(AutoPause.reason(funnel(CampaignCommand.RUNNING, null, 40, 60,
                Map.of("131026", 5L, "us_marketing_pause", 35L)), THRESHOLD))
                .as("US numbers skipped by the US marketing pause are no sign of a failing campaign").isNull();
        assertThat(AutoPause.reason(funnel(CampaignCommand.RUNNING, null, 10, 30, Map.of("131026", 10L)), THRESHOLD))
                .as("40 known: below the 50 it needs").isNull();
    }

    @Test
    void anOperatorsResumeAndACampaignNotRunningAreLeftAlone() {
        assertThat(AutoPause.reason(funnel(CampaignCommand.RUNNING, "operator", 1, 0, Map.of("132015", 1L)), THRESHOLD))
                .isNull();
        assertThat(AutoPause.reason(funnel(CampaignCommand.PAUSED, null, 1, 0, Map.of("132015", 1L)), THRESHOLD))
                .isNull();
    }

    @Test
    void aPauseIsWrittenOnceUntilItIsReadBackOrThirtySecondsPass() {
        List<String> paused = new ArrayList<>();
        MutableClock clock = new MutableClock();
        AutoPause autoPause = new AutoPause(THRESHOLD, clock, (campaign, reason) -> paused.add(campaign));
        CampaignFunnel failing = funnel(CampaignCommand.RUNNING, null, 1, 0, Map.of("132015", 1L));
        CampaignCommand running = CampaignCommand.initial();

        assertThat(autoPause.onChange("spring", failing, running)).hasSize(1);
        assertThat(autoPause.onChange("spring", failing, running)).as("not read back yet, within 30 s").isEmpty();
        clock.now = clock.now.plusSeconds(31);
        assertThat(autoPause.onChange("spring", failing, running)).as("its transaction may have aborted").hasSize(1);
        assertThat(paused).containsExactly("spring", "spring");
    }

    private static CampaignFunnel funnel(String state, String by, long failed, long delivered, Map<String, Long> codes) {
        return new CampaignFunnel("spring", state, null, by, 100L, 100, failed + delivered, 100, 100, 100, delivered, 0,
                failed, codes, 0, 0, 0, 0, 0, Map.of(), null, null, Instant.EPOCH);
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-12-07T12:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
