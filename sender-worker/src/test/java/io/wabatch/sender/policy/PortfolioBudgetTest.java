package io.wabatch.sender.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabatch.common.contract.Json;
import io.wabatch.sender.policy.PortfolioBudget.Entry;
import io.wabatch.sender.policy.PortfolioBudget.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The portfolio budgets' rules, record by record, and their limits over generated claim sequences. */
class PortfolioBudgetTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final Duration DAY = Duration.ofHours(24);
    private static int ids;

    private final PortfolioBudget budget = new PortfolioBudget();

    @Test
    void aTierIsSharedByThePortfoliosNumbersAndCountsEachUserOnce() {
        assertThat(tier("p", "u1", 2, T0).granted()).isTrue();
        assertThat(tier("p", "u2", 2, T0.plusSeconds(1)).granted()).isTrue();
        assertThat(tier("p", "u1", 2, T0.plusSeconds(2)).granted()).as("a counted user goes again").isTrue();

        Verdict third = tier("p", "u3", 2, T0.plusSeconds(3));
        assertThat(third.granted()).isFalse();
        assertThat(third.reason()).isEqualTo("tier");
        assertThat(third.freeAt()).as("when the oldest place (u2: u1 counts from its latest claim) frees")
                .isEqualTo(T0.plusSeconds(1).plus(DAY));
        assertThat(tier("other", "u3", 2, T0.plusSeconds(3)).granted()).as("another portfolio's tier").isTrue();
        assertThat(tier("p", "u3", 2, T0.plusSeconds(1).plus(DAY)).granted()).as("u2's place left the window")
                .isTrue();
        assertThat(budget.tierUsed("p", DAY, T0.plusSeconds(1).plus(DAY))).isEqualTo(2);
    }

    @Test
    void anAcceptanceMovesAPlaceToWhenTheApiCountsIt() {
        tier("p", "u1", 1, T0);
        budget.apply(Entry.accepted("p", "u1", T0.plusSeconds(60)));

        assertThat(tier("p", "u2", 1, T0.plus(DAY)).freeAt()).isEqualTo(T0.plusSeconds(60).plus(DAY));
        budget.apply(Entry.accepted("p", "u9", T0.plusSeconds(90)));
        assertThat(budget.tierUsed("p", DAY, T0.plusSeconds(90))).as("an acceptance counts no one new").isEqualTo(1);
    }

    @Test
    void theMarketingCapCountsTemplatesPerUserAcrossCampaignsAndFreesAsTheyLeaveTheWindow() {
        Duration week = Duration.ofDays(7);
        assertThat(cap("p", "u1", 2, week, T0).granted()).isTrue();
        assertThat(cap("p", "u1", 2, week, T0.plusSeconds(10)).granted()).isTrue();
        Verdict third = cap("p", "u1", 2, week, T0.plusSeconds(20));
        assertThat(third.granted()).isFalse();
        assertThat(third.reason()).isEqualTo("marketing_cap");
        assertThat(third.freeAt()).isEqualTo(T0.plus(week));
        assertThat(cap("p", "u2", 2, week, T0.plusSeconds(20)).granted()).as("another user").isTrue();
        assertThat(cap("p", "u1", 2, week, T0.plus(week)).granted()).isTrue();
        assertThat(budget.marketingCount("p", "u1", week, T0.plus(week))).isEqualTo(2);
    }

    @Test
    void aMessageThatClaimsAgainIsNotCountedTwice() {
        Duration week = Duration.ofDays(7);
        Entry first = Entry.claim("spring/1#1", "p", "u1", null, null, 1, week, T0);
        assertThat(apply(first).granted()).isTrue();
        assertThat(apply(Entry.claim("spring/1#1", "p", "u1", null, null, 1, week, T0.plusSeconds(60))).granted())
                .as("the same message after a retry or a resume").isTrue();
        assertThat(budget.marketingCount("p", "u1", week, T0.plusSeconds(60))).isEqualTo(1);
        assertThat(apply(Entry.claim("autumn/1#1", "p", "u1", null, null, 1, week, T0.plusSeconds(90))).reason())
                .as("another message to the same user").isEqualTo("marketing_cap");
    }

    @Test
    void aClaimRefusedByOneBudgetCountsInNeither() {
        // Tier of 1 taken by u1; u2's marketing template is refused by the tier and must not use its cap.
        apply(Entry.claim(id(), "p", "u1", 1, DAY, 1, DAY, T0));
        Verdict refused = apply(Entry.claim(id(), "p", "u2", 1, DAY, 1, DAY, T0.plusSeconds(1)));
        assertThat(refused.reason()).isEqualTo("tier");
        assertThat(budget.marketingCount("p", "u2", DAY, T0.plusSeconds(1))).isZero();

        // u1 is at its cap: the refused claim must not renew its tier place.
        Verdict capped = apply(Entry.claim(id(), "p", "u1", 1, DAY, 1, DAY, T0.plusSeconds(5)));
        assertThat(capped.reason()).isEqualTo("marketing_cap");
        assertThat(apply(Entry.claim(id(), "p", "u2", 1, DAY, null, null, T0.plus(DAY))).granted())
                .as("u1's place still counts from its first claim").isTrue();
    }

    @Test
    void entriesTravelAsJsonWithOnlyTheirFields() throws Exception {
        Entry claim = Entry.claim("c1", "42", "491701234567", 10, DAY, null, DAY, T0);
        String json = new String(Json.bytes(claim));
        assertThat(json).contains("\"tier_window_ms\":86400000").doesNotContain("cap");
        assertThat(Json.read(json.getBytes(), Entry.class)).isEqualTo(claim);
    }

    /**
     * Whatever the order of claims from whatever numbers of one portfolio, no window of the tier's length
     * holds more counted users than the tier, no user gets more marketing templates in a cap window than the
     * cap, and a claim is refused only when granting it would break one of the two.
     */
    @Property(tries = 300)
    void neitherLimitIsEverExceededAndNothingIsRefusedWithoutNeed(@ForAll("claims") List<Entry> claims) {
        PortfolioBudget machine = new PortfolioBudget();
        List<Entry> granted = new ArrayList<>();
        for (Entry claim : claims) {
            Verdict verdict = machine.apply(claim);
            if (verdict.granted()) {
                granted.add(claim);
                assertThat(usersInTierWindow(granted, claim.at())).isLessThanOrEqualTo(claim.tier());
                assertThat(templatesInCapWindow(granted, claim.person(), claim.at())).isLessThanOrEqualTo(claim.cap());
            } else if ("tier".equals(verdict.reason())) {
                Map<String, Long> users = usersInTierWindowMap(granted, claim.at());
                assertThat(users).doesNotContainKey(claim.person()).hasSizeGreaterThanOrEqualTo(claim.tier());
            } else {
                assertThat(templatesInCapWindow(granted, claim.person(), claim.at())).isGreaterThanOrEqualTo(claim.cap());
            }
        }
    }

    @Provide
    Arbitrary<List<Entry>> claims() {
        Arbitrary<String> person = Arbitraries.integers().between(1, 12).map(i -> "u" + i);
        Arbitrary<Integer> step = Arbitraries.integers().between(0, 40);
        return Combinators.combine(person, step).as((p, s) -> new String[] {p, Integer.toString(s)})
                .list().ofMinSize(1).ofMaxSize(120).map(steps -> {
                    List<Entry> entries = new ArrayList<>();
                    Instant at = T0;
                    for (String[] s : steps) {
                        at = at.plusSeconds(Integer.parseInt(s[1]));
                        entries.add(Entry.claim(id(), "p", s[0], 4, Duration.ofSeconds(100), 2,
                                Duration.ofSeconds(60), at));
                    }
                    return entries;
                });
    }

    private static int usersInTierWindow(List<Entry> granted, Instant now) {
        return usersInTierWindowMap(granted, now).size();
    }

    private static Map<String, Long> usersInTierWindowMap(List<Entry> granted, Instant now) {
        Map<String, Long> users = new HashMap<>();
        for (Entry e : granted) {
            if (e.at().toEpochMilli() > now.toEpochMilli() - e.tierWindowMs()) {
                users.merge(e.person(), 1L, Long::sum);
            }
        }
        return users;
    }

    private static long templatesInCapWindow(List<Entry> granted, String person, Instant now) {
        return granted.stream().filter(e -> e.person().equals(person)
                && e.at().toEpochMilli() > now.toEpochMilli() - e.capWindowMs()).count();
    }

    private Verdict tier(String portfolio, String person, int tier, Instant at) {
        return apply(Entry.claim(id(), portfolio, person, tier, DAY, null, null, at));
    }

    private Verdict cap(String portfolio, String person, int cap, Duration window, Instant at) {
        return apply(Entry.claim(id(), portfolio, person, null, null, cap, window, at));
    }

    private Verdict apply(Entry entry) {
        return budget.apply(entry);
    }

    private static synchronized String id() {
        return "c" + ++ids;
    }
}
