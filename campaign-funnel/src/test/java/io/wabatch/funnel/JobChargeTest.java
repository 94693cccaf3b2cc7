package io.wabatch.funnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabatch.common.contract.CampaignFunnel;
import io.wabatch.common.contract.ChargeType;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.StatusEvent;
import io.wabatch.funnel.cost.RateCard;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The cost rules of the funnel: each message charged or free once, priced by the rate card. */
class JobChargeTest {

    private static final RateCard CARD = new RateCard("EUR",
            Map.of("marketing", new BigDecimal("0.06"), "utility", new BigDecimal("0.02")),
            Map.of(49, Map.of("marketing", new BigDecimal("0.13")), 1, Map.of("marketing", new BigDecimal("0.025"))));

    @Test
    void sentDeliveredAndReadEachWithPricingAndReplayedChargeTheMessageOnce() {
        FunnelCounts counts = new FunnelCounts();
        JobState state = JobState.empty("spring", "j1");
        counts.add(state, 1);
        List<Integer> priced = new ArrayList<>();
        for (String status : List.of("sent", "sent", "delivered", "read", "delivered", "read")) {
            JobState next = state.with(status("j1", status, "4915123456789", null, "marketing", "regular"), CARD);
            FunnelTopology.priced(state, next, (category, type, price) -> priced.add(1));
            counts.add(state, -1).add(next, 1);
            state = next;
        }
        assertThat(priced).as("priced once").hasSize(1);
        CampaignFunnel funnel = counts.view("spring", "running", null, null, null, Instant.EPOCH, "EUR");
        assertThat(funnel.charged()).containsExactly(Map.entry("marketing", 1L));
        assertThat(funnel.free()).isEmpty();
        assertThat(funnel.estimatedCost()).isEqualByComparingTo("0.13");
        assertThat(funnel.currency()).isEqualTo("EUR");
        assertThat(funnel.pricing()).containsExactly(Map.entry("marketing", 1L));
    }

    @Test
    void aFailureBeforeDeliveryIsNeitherCountedNorInTheMetricWhicheverStatusCameFirst() {
        StatusEvent failed = new StatusEvent("wamid.f", "failed", Instant.EPOCH, "4915123456789", "106540352242922",
                List.of(), null, "c", "f", 0, Instant.EPOCH, null);
        JobState state = JobState.empty("c", "f");
        List<Integer> priced = new ArrayList<>();
        for (StatusEvent status : List.of(failed, status("f", "sent", "4915123456789", null, "marketing",
                "regular"))) {
            JobState next = state.with(status, CARD);
            FunnelTopology.priced(state, next, (category, type, price) -> priced.add(1));
            state = next;
        }
        CampaignFunnel funnel = new FunnelCounts().add(state, 1).view("c", "running", null, null, null,
                Instant.EPOCH, "EUR");
        assertThat(funnel.charged()).isEmpty();
        assertThat(priced).as("the metric follows the funnel's rule").isEmpty();
    }

    @Test
    void freeEntryPointAndCustomerServiceAreFreeAndCostNothing() {
        FunnelCounts counts = new FunnelCounts();
        counts.add(JobState.empty("c", "a").with(status("a", "delivered", "4915123456789", null, "marketing",
                "free_entry_point"), CARD), 1);
        counts.add(JobState.empty("c", "b").with(status("b", "read", "4915123456789", null, "service",
                "free_customer_service"), CARD), 1);
        counts.add(JobState.empty("c", "d").with(status("d", "sent", "12125550123", null, "marketing", "regular"),
                CARD), 1);
        CampaignFunnel funnel = counts.view("c", "running", null, null, null, Instant.EPOCH, "EUR");
        assertThat(funnel.free()).containsExactlyInAnyOrderEntriesOf(Map.of("marketing", 1L, "service", 1L));
        assertThat(funnel.charged()).containsExactly(Map.entry("marketing", 1L));
        assertThat(funnel.estimatedCost()).as("only the +1 marketing message").isEqualByComparingTo("0.025");
    }

    @Test
    void theOrderStatusesArriveInDoesNotChangeTheCharge() {
        // sent says free entry point, read says regular (the platform should not, but the result must not depend
        // on arrival order): the furthest status decides
        List<StatusEvent> statuses = new ArrayList<>(List.of(
                status("j", "sent", "4915123456789", null, "marketing", "free_entry_point"),
                status("j", "delivered", "4915123456789", null, "utility", "regular"),
                status("j", "read", "4915123456789", null, "marketing", "regular"),
                status("j", "read", "4915123456789", null, "marketing", "regular")));
        Random random = new Random(7);
        JobState first = null;
        for (int run = 0; run < 20; run++) {
            Collections.shuffle(statuses, random);
            JobState state = JobState.empty("c", "j");
            for (StatusEvent status : statuses) {
                state = state.with(status, CARD);
            }
            if (first == null) {
                first = state;
            }
            assertThat(state.charge()).isEqualTo(first.charge());
            assertThat(state.pricing()).isEqualTo("marketing");
        }
        assertThat(first.charge()).isEqualTo(new JobCharge("regular", true, 3, new BigDecimal("0.13")));
    }

    @Test
    void aBsuidOnlyRecipientIsPricedByItsCountryAndAnUnknownOneByTheDefault() {
        assertThat(JobState.empty("c", "j").with(status("j", "sent", null, "US.13491208655302741918", "marketing",
                "regular"), CARD).charge().price()).isEqualByComparingTo("0.025");
        assertThat(JobState.empty("c", "j").with(status("j", "sent", null, "XX.1349", "marketing", "regular"),
                CARD).charge().price()).isEqualByComparingTo("0.06");
    }

    @Test
    void chargedMessagesWithoutAPriceAreCountedAsUnpricedAndWithoutRateCardThereIsNoCost() {
        FunnelCounts counts = new FunnelCounts();
        counts.add(JobState.empty("c", "a").with(status("a", "sent", "4915123456789", null, "authentication",
                "regular"), CARD), 1);
        counts.add(JobState.empty("c", "b").with(status("b", "sent", "4915123456789", null, "utility", null), CARD), 1);
        CampaignFunnel funnel = counts.view("c", "running", null, null, null, Instant.EPOCH, "EUR");
        assertThat(funnel.unpriced()).as("authentication has no price in the card").isEqualTo(1);
        assertThat(funnel.estimatedCost()).isEqualByComparingTo("0.02");

        FunnelCounts noCard = new FunnelCounts();
        noCard.add(JobState.empty("c", "a").with(status("a", "sent", "4915123456789", null, "marketing", "regular")), 1);
        CampaignFunnel without = noCard.view("c", "running", null, null, null, Instant.EPOCH, null);
        assertThat(without.charged()).containsExactly(Map.entry("marketing", 1L));
        assertThat(without.estimatedCost()).isNull();
        assertThat(without.unpriced()).isEqualTo(1);
    }

    @Test
    void conversationBasedStatusesAreChargedWhenBillable() {
        StatusEvent cbp = new StatusEvent("w", "delivered", Instant.EPOCH, "4915123456789", "n", List.of(),
                new StatusEvent.Pricing("utility", true, "CBP"), "c", "j", 0, Instant.EPOCH);
        StatusEvent free = new StatusEvent("w", "delivered", Instant.EPOCH, "4915123456789", "n", List.of(),
                new StatusEvent.Pricing("service", false, "CBP"), "c", "k", 0, Instant.EPOCH);
        assertThat(JobState.empty("c", "j").with(cbp, CARD).charge())
                .isEqualTo(new JobCharge(ChargeType.REGULAR.wireName(), true, 2, new BigDecimal("0.02")));
        assertThat(JobState.empty("c", "k").with(free, CARD).charge())
                .isEqualTo(new JobCharge(ChargeType.FREE_OTHER.wireName(), false, 2, null));
    }

    @Test
    void stateAndCountsStoredBeforeChargesStillDecodeAndSubtractCleanly() throws Exception {
        JobState old = Json.read(("{\"campaign_id\":\"c\",\"job_id\":\"j\",\"generation\":0,\"delivery\":2,"
                + "\"pricing\":\"marketing\"}").getBytes(StandardCharsets.UTF_8), JobState.class);
        assertThat(old.charge()).isNull();
        FunnelCounts counts = Json.read(("{\"jobs\":1,\"sent\":1,\"delivered\":1,\"pricing\":{\"marketing\":1}}")
                .getBytes(StandardCharsets.UTF_8), FunnelCounts.class);
        JobState next = old.with(status("j", "read", "4915123456789", null, "marketing", "regular"), CARD);
        counts.add(old, -1).add(next, 1);
        CampaignFunnel funnel = counts.view("c", "running", null, null, null, Instant.EPOCH, "EUR");
        assertThat(funnel.pricing()).containsExactly(Map.entry("marketing", 1L));
        assertThat(funnel.charged()).containsExactly(Map.entry("marketing", 1L));
        assertThat(funnel.estimatedCost()).isEqualByComparingTo("0.13");
        FunnelCounts back = Json.read(Json.bytes(counts), FunnelCounts.class);
        assertThat(back.cost).isEqualByComparingTo("0.13");
        assertThat(back.charged).isEqualTo(counts.charged);
    }

    @Test
    void aFunnelRecordWrittenBeforeChargesDecodesWithoutThem() throws Exception {
        CampaignFunnel old = CampaignFunnel.decode(("{\"campaign_id\":\"c\",\"state\":\"running\",\"jobs\":3,"
                + "\"pricing\":{\"marketing\":3},\"updated_at\":\"2026-01-01T00:00:00Z\"}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(old.charged()).isEmpty();
        assertThat(old.free()).isEmpty();
        assertThat(old.estimatedCost()).isNull();
        assertThat(old.unpriced()).isZero();
        CampaignFunnel now = new FunnelCounts().view("c", "running", null, null, null, Instant.EPOCH, "EUR");
        assertThat(CampaignFunnel.decode(Json.bytes(now))).isEqualTo(now);
    }

    private static StatusEvent status(String job, String status, String recipient, String bsuid, String category,
                                      String type) {
        return new StatusEvent("wamid." + job, status, Instant.EPOCH, recipient, "106540352242922", List.of(),
                new StatusEvent.Pricing(category, null, "PMP", type), "c", job, 0, Instant.EPOCH, bsuid);
    }
}
