package io.wabatch.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeferTiersTest {

    private static final DeferTiers TIERS = DeferTiers.DEFAULT;

    @ParameterizedTest(name = "a wait of {0} goes to the {1} tier")
    @CsvSource({"PT1M,1m", "PT1M1S,1m", "PT9M59S,1m", "PT10M,10m", "PT59M,10m", "PT1H,1h", "PT5H,1h", "PT6H,6h",
            "PT24H,6h", "PT30S,1m"})
    void aWaitGoesToTheTierOfTheLongestDelayNotAboveIt(Duration wait, String tier) {
        assertThat(DeferTiers.label(TIERS.tierFor(wait))).isEqualTo(tier);
    }

    @Test
    void onlyWaitsLongerThanTheShortestTierLeaveMemory() {
        assertThat(TIERS.threshold()).isEqualTo(Duration.ofMinutes(1));
        assertThat(TIERS.defers(Duration.ofSeconds(60))).isFalse();
        assertThat(TIERS.defers(Duration.ofMillis(60_001))).isTrue();
        assertThat(TIERS.defers(Duration.ofSeconds(-5))).isFalse();
    }

    @Test
    void theDelayIsPartOfTheTopicNameAndReadBackFromIt() {
        assertThat(TIERS.topics("wa.jobs.deferred")).containsExactly("wa.jobs.deferred.1m", "wa.jobs.deferred.10m",
                "wa.jobs.deferred.1h", "wa.jobs.deferred.6h");
        assertThat(DeferTiers.delayOf("wa.jobs.deferred", "wa.jobs.deferred.10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(DeferTiers.delayOf("t.jobs.deferred", "t.jobs.deferred.500ms")).isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> DeferTiers.delayOf("wa.jobs.deferred", "wa.jobs.ready"))
                .hasMessageContaining("not a tier");
    }

    @Test
    void labelsRoundTripInTheirShortestForm() {
        DeferTiers tiers = DeferTiers.parse(" 500ms, 90s ,2m,24h");
        assertThat(tiers.labels()).isEqualTo("500ms,90s,2m,1d");
        assertThat(DeferTiers.parse(tiers.labels())).isEqualTo(tiers);
    }

    @Test
    void badTiersAreRefusedWithTheReason() {
        assertThatThrownBy(() -> DeferTiers.parse("1m,1m")).hasMessageContaining("ascending and distinct");
        assertThatThrownBy(() -> DeferTiers.parse("10m,1m")).hasMessageContaining("ascending and distinct");
        assertThatThrownBy(() -> DeferTiers.parse("1 minute")).hasMessageContaining("'1 minute' is not a delay");
        assertThatThrownBy(() -> DeferTiers.parse("0s")).hasMessageContaining("at least 1 ms");
    }
}
