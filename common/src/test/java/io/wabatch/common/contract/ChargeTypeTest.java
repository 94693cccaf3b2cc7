package io.wabatch.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChargeTypeTest {

    @ParameterizedTest(name = "type {0}, billable {1} → {2} (charged {3})")
    @CsvSource(nullValues = "null", value = {
            // per-message pricing: the type decides, billable (deprecated) does not
            "regular, true, regular, true",
            "regular, false, regular, true",
            "regular, null, regular, true",
            "free_customer_service, true, free_customer_service, false",
            "free_customer_service, null, free_customer_service, false",
            "free_entry_point, false, free_entry_point, false",
            "FREE_ENTRY_POINT, null, free_entry_point, false",
            "' regular ', null, regular, true",
            // a type this version does not know
            "free_trial, true, free_other, false",
            "premium, null, other, true",
            "premium, false, free_other, false",
            // conversation-based statuses: no type, billable decides
            "null, true, regular, true",
            "null, false, free_other, false",
            "'', false, free_other, false",
            // nothing says: charged, so the estimate errs high
            "null, null, other, true"})
    void theTypeDecidesWhetherAMessageIsChargedAndBillableOnlyWithoutIt(String type, Boolean billable,
                                                                       String expected, boolean charged) {
        ChargeType charge = ChargeType.of(new StatusEvent.Pricing("marketing", billable, "PMP", type));
        assertThat(charge.wireName()).isEqualTo(expected);
        assertThat(charge.charged()).isEqualTo(charged);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {"marketing, marketing", "marketing_lite, marketing_lite",
            "authentication_international, authentication_international", "service, service",
            "referral_conversion, other", "null, other"})
    void unknownCategoriesAreOtherAsAMetricTag(String category, String tag) {
        assertThat(ChargeType.categoryTag(category)).isEqualTo(tag);
    }

    @org.junit.jupiter.api.Test
    void noPricingIsNoCharge() {
        assertThat(ChargeType.of(null)).isNull();
    }
}
