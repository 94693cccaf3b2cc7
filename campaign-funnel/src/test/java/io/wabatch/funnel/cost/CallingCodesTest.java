package io.wabatch.funnel.cost;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CallingCodesTest {

    @ParameterizedTest(name = "{0} / {1} → {2}")
    @CsvSource(nullValues = "null", value = {
            "4915123456789, null, 49",
            "+49 151 2345 6789, null, 49",
            "12125550123, null, 1",
            "18765550123, null, 1",
            "919876543210, null, 91",
            "5511987654321, null, 55",
            "35312345678, null, 353",
            // the number wins over the BSUID
            "4915123456789, US.13491208655302741918, 49",
            // BSUID only: its country's calling code
            "null, US.13491208655302741918, 1",
            "'', DE.13491208655302741918, 49",
            "null, IN.ENT.11815799212886844830, 91",
            "null, BR.1349, 55",
            // nothing to tell: the rate card's default
            "null, XX.13491208655302741918, null",
            "null, not-a-bsuid, null",
            "null, null, null",
            "0000, null, null"})
    void theRecipientsNumberElseItsBsuidsCountryGivesTheCallingCode(String number, String bsuid, Integer code) {
        assertThat(CallingCodes.of(number, bsuid)).isEqualTo(code);
    }
}
