package io.wabatch.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BsuidsTest {

    @ParameterizedTest
    @ValueSource(strings = {"US.13491208655302741918", "US.ENT.11815799212886844830", "DE.a1B2", "BR.1"})
    void theDocumentedFormsAreBsuids(String value) {
        assertThat(Bsuids.isBsuid(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"+4915123456789", "4915123456789", "us.1349", "USA.1349", "US.", "US.12 34", "US.ENT.",
            "US.1349-1"})
    void numbersAndMalformedIdsAreNot(String value) {
        assertThat(Bsuids.isBsuid(value)).isFalse();
    }

    @Test
    void aBsuidIsMaskedLikeANumberInLogs() {
        assertThat(PhoneNumbers.mask("US.13491208655302741918")).isEqualTo("US.******************18");
        assertThat(PhoneNumbers.mask("US.ENT.11815799212886844830")).isEqualTo("US.ENT.******************30");
        assertThat(PhoneNumbers.mask("DE.12345")).isEqualTo("DE.*****");
        assertThat(PhoneNumbers.mask("4915123456789")).isEqualTo("49*********89");
    }
}
