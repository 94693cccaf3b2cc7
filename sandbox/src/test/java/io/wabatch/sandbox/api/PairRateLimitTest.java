package io.wabatch.sandbox.api;

import static io.wabatch.sandbox.api.TestSandbox.META_ID;
import static io.wabatch.sandbox.api.TestSandbox.OTHER_ID;
import static io.wabatch.sandbox.api.TestSandbox.OTHER_TOKEN;
import static io.wabatch.sandbox.api.TestSandbox.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wabatch.sandbox.api.RawHttp.Response;
import io.wabatch.sandbox.api.stats.AcceptedMessage;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pair rate limit (131056): per (number, recipient) token bucket, configured short for tests. */
@Timeout(60)
class PairRateLimitTest {

    private static final String ALICE = "+4915112345678";
    private static final String BOB = "+4915187654321";
    private static final Duration WINDOW = Duration.ofMillis(300);

    private static TestSandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = TestSandbox.start(b -> b.pairWindow(WINDOW).pairBurst(1));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    @Test
    void secondMessageToTheSameRecipientWithinTheWindowIs131056() {
        Response first = sandbox.sendMeta(text(ALICE, "one"));
        Response second = sandbox.sendMeta(text(ALICE, "two"));

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(400);
        assertThat(second.code()).isEqualTo(131056);
        assertThat(second.message()).isEqualTo("(#131056) (Business Account, Consumer Account) pair rate limit hit");
        assertThat(second.json().at("/error/type").asText()).isEqualTo("OAuthException");
        assertThat(second.json().at("/error/error_data/messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(second.json().at("/error/fbtrace_id").asText()).isNotBlank();
        assertThat(second.details()).contains("same phone number");
        assertThat(sandbox.server.stats(META_ID).accepted()).isEqualTo(1);
        assertThat(sandbox.server.stats(META_ID).rejectedByCode()).containsEntry(131056, 1L);
    }

    @Test
    void otherRecipientsAndOtherNumbersAreNotAffected() {
        sandbox.sendMeta(text(ALICE, "one"));

        assertThat(sandbox.sendMeta(text(BOB, "bob")).status()).isEqualTo(200);
        assertThat(sandbox.sendMeta(OTHER_ID, OTHER_TOKEN, text(ALICE, "other number")).status()).isEqualTo(200);
        assertThat(sandbox.sendMeta(text("49 151 12345678", "same digits, other spelling")).code()).isEqualTo(131056);
    }

    @Test
    void afterTheWindowTheRecipientIsAcceptedAgain() {
        long start = System.nanoTime();
        assertThat(sandbox.sendMeta(text(ALICE, "one")).status()).isEqualTo(200);
        assertThat(sandbox.sendMeta(text(ALICE, "too soon")).code()).isEqualTo(131056);

        await("the pair's window passes").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> sandbox.sendMeta(text(ALICE, "again")).status() == 200);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(WINDOW);
        List<AcceptedMessage> accepted = sandbox.server.messages(META_ID);
        assertThat(accepted).hasSize(2);
        assertThat(accepted.get(1).receivedAtMs() - accepted.get(0).receivedAtMs())
                .isGreaterThanOrEqualTo(WINDOW.toMillis() - 2);
    }

    @Test
    void burstOfThreeIsAcceptedThenTheLimitHolds() {
        sandbox.server.setPairLimit(PairLimit.of(Duration.ofSeconds(5), 3));

        List<Integer> codes = IntStream.range(0, 5).mapToObj(i -> sandbox.sendMeta(text(ALICE, "m" + i)).code())
                .toList();

        assertThat(codes).containsExactly(0, 0, 0, 131056, 131056);
        assertThat(sandbox.server.stats(META_ID).rejectedByCode()).containsEntry(131056, 2L);
    }

    @Test
    void aMessageRejectedForThroughputDoesNotSpendThePairToken() {
        sandbox.server.setMps(META_ID, 1);
        sandbox.server.setPairLimit(PairLimit.of(Duration.ofSeconds(30), 1));
        await("a fresh second").atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(5))
                .until(() -> System.currentTimeMillis() % 1000 < 500);

        Response bob = sandbox.sendMeta(text(BOB, "takes the budget of this second"));
        assertThat(bob.status()).as(bob.body()).isEqualTo(200);
        assertThat(sandbox.sendMeta(text(ALICE, "over the mps")).code()).isEqualTo(130429);
        await("the next second").atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                .until(() -> sandbox.sendMeta(text(ALICE, "retry")).status() == 200);
    }

    @Test
    void idlePairsAreForgotten() {
        sandbox.server.setPairLimit(PairLimit.of(Duration.ofSeconds(2), 1));
        IntStream.range(0, 20).forEach(i -> sandbox.sendMeta(text("4915100000" + (100 + i), "m")));
        assertThat(sandbox.server.trackedPairs()).isEqualTo(20);

        await("idle pairs expire").atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(50))
                .until(() -> sandbox.server.trackedPairs() == 0);
    }

    @Test
    void invalidMessagesNeitherCountNorSpendTheToken() {
        assertThat(sandbox.sendMeta(text(ALICE, "")).code()).isEqualTo(131008);

        assertThat(sandbox.sendMeta(text(ALICE, "valid")).status()).isEqualTo(200);
    }

    @Test
    void pairLimitIsChangeableAtRuntimeThroughTheAdminEndpoint() {
        Response off = sandbox.admin("PUT", "/_sandbox/pair_limit", "{\"window\": null}");
        assertThat(off.status()).isEqualTo(200);
        assertThat(off.json().get("enabled").asBoolean()).isFalse();
        assertThat(IntStream.range(0, 3).map(i -> sandbox.sendMeta(text(ALICE, "m" + i)).status()))
                .containsOnly(200);

        Response on = sandbox.admin("PUT", "/_sandbox/pair_limit", "{\"window\": \"PT10S\", \"burst\": 2}");
        assertThat(on.status()).isEqualTo(200);
        assertThat(on.json().get("window_ms").asLong()).isEqualTo(10_000);
        assertThat(on.json().get("burst").asInt()).isEqualTo(2);
        assertThat(sandbox.server.pairLimit()).isEqualTo(PairLimit.of(Duration.ofSeconds(10), 2));
        assertThat(IntStream.range(0, 3).map(i -> sandbox.sendMeta(text(ALICE, "n" + i)).code()))
                .containsExactly(0, 0, 131056);

        assertThat(sandbox.admin("PUT", "/_sandbox/pair_limit", "{\"window\": 300, \"burst\": 0}").status())
                .isEqualTo(400);
        assertThat(sandbox.admin("PUT", "/_sandbox/pair_limit", "{\"windw\": 300}").status()).isEqualTo(400);
        assertThat(sandbox.admin("PUT", "/_sandbox/pair_limit", "").status()).isEqualTo(400);
        assertThat(sandbox.admin("GET", "/_sandbox/settings", null).json().at("/pair_limit/window_ms").asLong())
                .isEqualTo(10_000);
    }

    @Test
    void theDefaultConfigEnforcesOnePerSixSeconds() {
        assertThat(SandboxConfig.defaults().pairLimit()).isEqualTo(PairLimit.of(Duration.ofSeconds(6), 1));
        try (TestSandbox real = TestSandbox.start(b -> b.pairLimit(SandboxConfig.defaults().pairLimit()))) {
            assertThat(real.sendMeta(text(ALICE, "one")).status()).isEqualTo(200);
            assertThat(real.sendMeta(text(ALICE, "two")).code()).isEqualTo(131056);
            assertThat(real.sendMeta(text(BOB, "bob")).status()).isEqualTo(200);
        }
    }
}
