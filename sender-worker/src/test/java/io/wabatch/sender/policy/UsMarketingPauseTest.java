package io.wabatch.sender.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsMarketingPauseTest {

    @ParameterizedTest(name = "+{0} is in {1}")
    @CsvSource({
            "12125550142, US",  // New York
            "13105550199, US",  // Los Angeles
            "12025550173, US",  // Washington, DC
            "14155550132, US",  // San Francisco
            "14165550101, CA",  // Toronto
            "16045550111, CA",  // Vancouver
            "18765550123, JM",  // Jamaica
            "17875550123, PR",  // Puerto Rico: a region of its own
            "4915123456789, DE",
    })
    void aNumberIsUsWhenLibphonenumberPlacesItInRegionUs(String digits, String region) throws Exception {
        PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
        assertThat(phones.getRegionCodeForNumber(phones.parse("+" + digits, "ZZ"))).as("libphonenumber's region")
                .isEqualTo(region);
        assertThat(UsMarketingPause.usNumber(digits)).isEqualTo("US".equals(region));
    }

    @ParameterizedTest(name = "[{index}] '{0}'")
    @CsvSource(value = {"15555550100", "1", "123", "NULL", "''"}, nullValues = "NULL")
    void aPlusOneNumberWithoutAUsAreaCodeOrNoNumberIsNotUs(String digits) {
        assertThat(UsMarketingPause.usNumber(digits)).isFalse();
    }
}
