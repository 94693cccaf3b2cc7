package io.wabatch.sender.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The platform's ways of writing a messaging limit (business_capability_update, phone_number_quality_update). */
class PortfolioLimitsTest {

    @ParameterizedTest
    @CsvSource({"2000,2000", "-1,-1", "250,250", "TIER_250,250", "TIER_2K,2000", "TIER_10K,10000",
            "TIER_100K,100000", "TIER_UNLIMITED,-1", "tier_1k,1000", "' 100000 ',100000"})
    void readsNumbersAndTierNames(String text, int limit) {
        assertThat(PortfolioLimits.parse(text)).isEqualTo(limit);
    }

    @ParameterizedTest
    @CsvSource({"''", "TIER_", "NONE", "0", "-5", "TIER_2X", "99999999999"})
    void anythingElseIsNoLimit(String text) {
        assertThat(PortfolioLimits.parse(text)).isNull();
    }

    @Test
    void nullIsNoLimit() {
        assertThat(PortfolioLimits.parse(null)).isNull();
    }
}
