package io.wabatch.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PhoneNumbersTest {

    @ParameterizedTest
    @CsvSource({
            "'+49 151 2345 6789', 4915123456789",
            "'0049 (151) 2345-6789', 4915123456789",
            "'4915123456789', 4915123456789",
            "'+1 650-555-1234', 16505551234",
            "'+31 6 12345678', 31612345678"})
    void normalisesToE164Digits(String input, String digits) {
        assertThat(PhoneNumbers.normalise(input).digits()).isEqualTo(digits);
    }

    @ParameterizedTest
    @CsvSource({"''", "'+49'", "'12'", "'call me'", "'+999 1234567'", "'+49 151 2345 6789 1234 5678'"})
    void rejectsWithAReason(String input) {
        PhoneNumbers.Normalised result = PhoneNumbers.normalise(input);
        assertThat(result.ok()).isFalse();
        assertThat(result.problem()).isNotBlank();
    }

    @ParameterizedTest
    @CsvSource({"4915123456789, 49*********89", "+1 650 555 1234, 16*******34"})
    void masksAllButCountryCodeAndLastDigits(String phone, String masked) {
        assertThat(PhoneNumbers.mask(phone)).isEqualTo(masked);
    }
}
