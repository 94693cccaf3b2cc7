package io.wabatch.ops.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabatch.common.contract.CampaignFunnel;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunnelTextTest {

    private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");

    @Test
    void showsChargedAndFreeMessagesByCategoryAndTheEstimatedCost() {
        String text = FunnelText.render(funnel(Map.of("marketing", 1200L, "utility", 30L),
                Map.of("marketing", 45L, "service", 3L), new BigDecimal("81.9"), "EUR", 2), NOW);
        assertThat(text).contains("  charged    1,230  marketing: 1,200, utility: 30\n")
                .contains("  free       48  marketing: 45, service: 3\n")
                .contains("  cost       EUR 81.90 estimated (2 charged messages without a price in the rate card not "
                        + "included)\n");
    }

    @Test
    void withoutARateCardItSaysSoAndAnOldRecordShowsNoCostLines() {
        String text = FunnelText.render(funnel(Map.of("utility", 5L), Map.of(), null, null, 5), NOW);
        assertThat(text).contains("  charged    5  utility: 5\n").contains("  free       0\n")
                .contains("  cost       not estimated (the funnel aggregator has no funnel.rate.card)\n");
        CampaignFunnel old = new CampaignFunnel("spring", "running", null, null, 10L, 10, 10, 0, 10, 10, 9, 5, 0,
                Map.of(), 0, 0, 0, 0, 0, Map.of("marketing", 10L), null, null, NOW);
        assertThat(FunnelText.render(old, NOW)).doesNotContain("charged").doesNotContain("cost");
    }

    @Test
    void aCostOfWholeUnitsAndOneOfManyDecimalsPrintPlainly() {
        assertThat(FunnelText.render(funnel(Map.of("marketing", 1L), Map.of(), new BigDecimal("1E+2"), "INR", 0), NOW))
                .contains("  cost       INR 100.00 estimated\n");
        assertThat(FunnelText.render(funnel(Map.of("marketing", 1L), Map.of(), new BigDecimal("0.1365"), "EUR", 0),
                NOW)).contains("  cost       EUR 0.1365 estimated\n");
    }

    @Test
    void eachWarningIsALineUnderTheState() {
        CampaignFunnel warned = funnel(Map.of(), Map.of(), null, null, 0).withWarnings(Map.of(
                "template_quality", "WhatsApp rated template spring_sale (en_US)'s quality RED (2026-12-07T18:00:00Z)",
                "template_category", "WhatsApp will change template spring_sale (en_US)'s category on 2026-12-08"));
        assertThat(FunnelText.render(warned, NOW)).startsWith("campaign spring: running\n"
                + "  warning    WhatsApp will change template spring_sale (en_US)'s category on 2026-12-08\n"
                + "  warning    WhatsApp rated template spring_sale (en_US)'s quality RED (2026-12-07T18:00:00Z)\n"
                + "  published  10\n");
    }

    private static CampaignFunnel funnel(Map<String, Long> charged, Map<String, Long> free, BigDecimal cost,
                                         String currency, long unpriced) {
        return new CampaignFunnel("spring", "running", null, null, 10L, 10, 10, 0, 10, 10, 9, 5, 0, Map.of(), 0, 0, 0,
                0, 0, Map.of("marketing", 10L), null, null, NOW, charged, free, cost, currency, unpriced);
    }
}
