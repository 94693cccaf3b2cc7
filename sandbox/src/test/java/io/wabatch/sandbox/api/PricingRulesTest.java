package io.wabatch.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.wabatch.sandbox.api.stats.Pricing;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Meta's per-message pricing as the sandbox decides it: one pure function, every case. */
class PricingRulesTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                // type, catalogue category, marketing endpoint, window open, entry point → category, type
                arguments("template", "MARKETING", false, false, false, "marketing", "regular"),
                arguments("template", "MARKETING", false, true, false, "marketing", "regular"),
                arguments("template", "MARKETING", true, false, false, "marketing_lite", "regular"),
                arguments("template", "UTILITY", false, false, false, "utility", "regular"),
                arguments("template", "UTILITY", false, true, false, "utility", "free_customer_service"),
                arguments("template", "AUTHENTICATION", false, true, false, "authentication", "regular"),
                arguments("template", null, false, false, false, "marketing", "regular"),
                arguments("template", null, true, false, false, "marketing_lite", "regular"),
                arguments("text", null, false, true, false, "service", "free_customer_service"),
                arguments("image", null, false, false, false, "service", "free_customer_service"),
                arguments("template", "MARKETING", false, true, true, "marketing", "free_entry_point"),
                arguments("template", "AUTHENTICATION", false, false, true, "authentication", "free_entry_point"),
                arguments("text", null, false, true, true, "service", "free_entry_point"));
    }

    @ParameterizedTest(name = "{0} {1} mm={2} window={3} entry={4} -> {5}/{6}")
    @MethodSource("cases")
    void decidesCategoryAndType(String type, String catalogueCategory, boolean marketingEndpoint, boolean window,
            boolean entryPoint, String category, String pricingType) {
        Pricing pricing = PricingRules.decide(type, catalogueCategory, marketingEndpoint, window, entryPoint);

        assertThat(pricing).isEqualTo(new Pricing(category, pricingType));
        assertThat(pricing.charged()).isEqualTo(pricingType.equals("regular"));
    }

    @Test
    void statusPricingHasMetasFields() {
        assertThat(new Pricing("utility", Pricing.FREE_CUSTOMER_SERVICE).toJson().toString())
                .isEqualTo("{\"billable\":false,\"pricing_model\":\"PMP\",\"category\":\"utility\","
                        + "\"type\":\"free_customer_service\"}");
        assertThat(new Pricing("marketing", Pricing.REGULAR).toJson().path("billable").asBoolean()).isTrue();
    }

    @Test
    void onlyMarketingCategoriesAreStoppedByAnOptOut() {
        assertThat(PricingRules.marketing("marketing")).isTrue();
        assertThat(PricingRules.marketing("marketing_lite")).isTrue();
        assertThat(PricingRules.marketing("utility")).isFalse();
        assertThat(PricingRules.marketing("service")).isFalse();
    }
}
