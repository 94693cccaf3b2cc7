package io.wabatch.sandbox.api;

import static io.wabatch.sandbox.api.TestSandbox.D360_ID;
import static io.wabatch.sandbox.api.TestSandbox.META_ID;
import static io.wabatch.sandbox.api.TestSandbox.json;
import static io.wabatch.sandbox.api.TestSandbox.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.wabatch.sandbox.api.RawHttp.Response;
import io.wabatch.sandbox.api.stats.StatsSnapshot;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Storms and random faults, before and after acceptance, from a seeded random source. */
@Timeout(120)
class FaultInjectionTest {

    private static final Duration SHORT = Duration.ofSeconds(10);

    private static TestSandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = TestSandbox.start(b -> b.seed(42L));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
        sandbox.server.setMps(META_ID, 10_000);
    }

    @Test
    void http500ShareOneFailsEveryRequestWithoutRecordingIt() {
        sandbox.server.setFaults(Faults.beforeAccept(1.0, 0, 0));

        List<Response> responses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            responses.add(sandbox.sendMeta(text("4915100000" + (100 + i), "m")));
        }

        assertThat(responses).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.code()).isEqualTo(131000);
            assertThat(r.message()).isEqualTo("(#131000) Something went wrong");
            assertThat(r.json().at("/error/fbtrace_id").asText()).isNotBlank();
        });
        StatsSnapshot stats = sandbox.server.stats(META_ID);
        assertThat(stats.accepted()).isZero();
        assertThat(stats.rejectedByCode()).isEmpty();
        assertThat(stats.faultsByKind()).containsExactlyEntriesOf(Map.of("http500", 5L));
        assertThat(sandbox.server.messages(META_ID)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = HttpClient.Version.class)
    void resetShareOneIsAConnectionErrorForTheClient(HttpClient.Version version) {
        RawHttp client = warmedUp(version);
        sandbox.server.setFaults(Faults.beforeAccept(0, 0, 1.0));

        assertThatThrownBy(() -> sandbox.sendMeta(client, text("4915100000200", "m"), SHORT))
                .isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> sandbox.sendMeta(client, text("4915100000201", "m"), SHORT))
                .isInstanceOf(UncheckedIOException.class);

        assertThat(sandbox.server.stats(META_ID).accepted()).isZero();
        assertThat(sandbox.server.stats(META_ID).faults("reset")).isEqualTo(2);
        sandbox.server.setFaults(Faults.none());
        assertThat(sandbox.sendMeta(client, text("4915100000202", "m"), SHORT).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(value = HttpClient.Version.class)
    void timeoutShareOneLeavesTheClientWaitingAndRecordsNothing(HttpClient.Version version) {
        RawHttp client = warmedUp(version);
        sandbox.server.setFaults(Faults.beforeAccept(0, 1.0, 0));
        long start = System.nanoTime();

        assertThatThrownBy(() -> sandbox.sendMeta(client, text("4915100000300", "m"), Duration.ofMillis(500)))
                .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(HttpTimeoutException.class);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        StatsSnapshot stats = sandbox.server.stats(META_ID);
        assertThat(stats.accepted()).isZero();
        assertThat(stats.rejectedByCode()).isEmpty();
        assertThat(stats.faults("timeout")).isEqualTo(1);
        await("the held request is released when the client gives up").atMost(SHORT)
                .until(() -> sandbox.server.heldRequests() == 0);
    }

    @ParameterizedTest
    @EnumSource(value = HttpClient.Version.class)
    void heldRequestsAreDroppedAfterTheMaximumHold(HttpClient.Version version) {
        RawHttp client = warmedUp(version);
        sandbox.server.setFaults(Faults.beforeAccept(0, 1.0, 0).withMaxHold(Duration.ofMillis(300)));
        long start = System.nanoTime();

        assertThatThrownBy(() -> sandbox.sendMeta(client, text("4915100000400", "m"), SHORT))
                .isInstanceOf(UncheckedIOException.class);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(300), Duration.ofSeconds(5));
        await().atMost(SHORT).until(() -> sandbox.server.heldRequests() == 0);
    }

    @Test
    void mixedSharesWithAFixedSeedHitNearTheSharesAndEverythingElseIsAccepted() {
        Faults mixed = Faults.beforeAccept(0.1, 0.1, 0.1).withMaxHold(Duration.ofMillis(50));
        sandbox.server.setFaults(mixed);

        List<String> outcomes = sendMany(300);

        StatsSnapshot stats = sandbox.server.stats(META_ID);
        long http500 = stats.faults("http500");
        long timeout = stats.faults("timeout");
        long reset = stats.faults("reset");
        assertThat(http500).isBetween(0L, 60L).isEqualTo(outcomes.stream().filter("500"::equals).count());
        assertThat(timeout).isBetween(0L, 60L);
        assertThat(reset).isBetween(0L, 60L);
        assertThat(http500 + timeout + reset).isBetween(60L, 120L)
                .isEqualTo(outcomes.stream().filter(o -> !o.equals("200")).count());
        assertThat(stats.accepted()).isEqualTo(300 - http500 - timeout - reset)
                .isEqualTo(outcomes.stream().filter("200"::equals).count());
        assertThat(stats.rejectedByCode()).isEmpty();

        sandbox.reset();
        sandbox.server.setMps(META_ID, 10_000);
        sandbox.server.setFaults(mixed);
        assertThat(sendMany(300)).as("the same seed draws the same faults").isEqualTo(outcomes);
    }

    @Test
    void stormAnswersItsCodeForItsDurationThenRequestsAreAcceptedAgain() {
        sandbox.server.startStorm(Storm.rateLimit(META_ID, Duration.ofMillis(500), 429));

        Response during = sandbox.sendMeta(text("4915100000500", "storm"));
        Response otherNumber = sandbox.send360(text("4915100000501", "no storm here"));

        assertThat(during.status()).isEqualTo(429);
        assertThat(during.code()).isEqualTo(130429);
        assertThat(during.message()).isEqualTo("(#130429) Rate limit hit");
        assertThat(otherNumber.status()).isEqualTo(200);
        await("the storm ends").atMost(SHORT).pollInterval(Duration.ofMillis(50))
                .until(() -> sandbox.sendMeta(text("4915100000502", "after")).status() == 200);
        StatsSnapshot stats = sandbox.server.stats(META_ID);
        assertThat(stats.faults("storm")).isGreaterThanOrEqualTo(1);
        assertThat(stats.rejectedByCode()).doesNotContainKey(130429);
        assertThat(stats.accepted()).isEqualTo(1);
    }

    @Test
    void stormsAreStartedAndStoppedThroughTheAdminEndpoints() {
        Response started = sandbox.admin("POST", "/_sandbox/storm",
                json("{'duration':'PT30S','code':131000,'http_status':503}"));
        assertThat(started.status()).isEqualTo(200);
        assertThat(started.json()).hasSize(1);
        assertThat(started.json().get(0).get("number").isNull()).isTrue();

        Response meta = sandbox.sendMeta(text("4915100000600", "m"));
        Response d360 = sandbox.send360(text("4915100000601", "m"));
        assertThat(meta.status()).isEqualTo(503);
        assertThat(meta.code()).isEqualTo(131000);
        assertThat(d360.status()).isEqualTo(503);
        assertThat(sandbox.server.stats(D360_ID).faults("storm")).isEqualTo(1);

        assertThat(sandbox.admin("DELETE", "/_sandbox/storm", null).json()).isEmpty();
        assertThat(sandbox.sendMeta(text("4915100000602", "m")).status()).isEqualTo(200);
        assertThat(sandbox.admin("POST", "/_sandbox/storm", json("{'number':'nope','duration':100}")).status())
                .isEqualTo(400);
        assertThat(sandbox.admin("POST", "/_sandbox/storm", json("{'code':130429}")).status()).isEqualTo(400);
    }

    @Test
    void afterAcceptFaultsRecordTheMessageThenLoseTheAnswer() {
        sandbox.server.setFaults(Faults.afterAccept(1.0, 0, 0));
        String body = json("{'messaging_product':'whatsapp','to':'4915100000700','text':{'body':'hi'},"
                + "'biz_opaque_callback_data':'v1|c|job-1|0'}");

        Response first = sandbox.sendMeta(body);
        Response resend = sandbox.sendMeta(body);
        Response invalid = sandbox.sendMeta(text("12", "rejected as usual"));

        assertThat(first.status()).isEqualTo(500);
        assertThat(resend.code()).isEqualTo(131000);
        assertThat(invalid.code()).isEqualTo(131009);
        StatsSnapshot stats = sandbox.server.stats(META_ID);
        assertThat(stats.accepted()).isEqualTo(2);
        assertThat(stats.duplicates()).isEqualTo(1);
        assertThat(stats.duplicateBodies()).isEqualTo(1);
        assertThat(stats.faults("http500_after_accept")).isEqualTo(2);
        assertThat(stats.rejectedByCode()).containsOnlyKeys(131009);
    }

    @Test
    void afterAcceptResetAndTimeoutAlsoCountAsAccepted() {
        sandbox.server.setFaults(Faults.afterAccept(0, 0, 1.0));
        assertThatThrownBy(() -> sandbox.sendMeta(text("4915100000800", "m"), SHORT))
                .isInstanceOf(UncheckedIOException.class);
        sandbox.server.setFaults(Faults.afterAccept(0, 1.0, 0));
        assertThatThrownBy(() -> sandbox.sendMeta(text("4915100000801", "m"), Duration.ofMillis(300)))
                .hasCauseInstanceOf(HttpTimeoutException.class);

        StatsSnapshot stats = sandbox.server.stats(META_ID);
        assertThat(stats.accepted()).isEqualTo(2);
        assertThat(stats.faults("reset_after_accept")).isEqualTo(1);
        assertThat(stats.faults("timeout_after_accept")).isEqualTo(1);
    }

    @Test
    void faultsAreChangeableAtRuntimeThroughTheAdminEndpoint() {
        Response set = sandbox.admin("PUT", "/_sandbox/faults",
                json("{'mode':'before_accept','http500':1.0,'max_hold':'PT5S'}"));
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().get("http500").asDouble()).isEqualTo(1.0);
        assertThat(set.json().get("max_hold_ms").asLong()).isEqualTo(5_000);
        assertThat(sandbox.sendMeta(text("4915100000900", "m")).status()).isEqualTo(500);

        assertThat(sandbox.admin("PUT", "/_sandbox/faults", "{}").status()).isEqualTo(200);
        assertThat(sandbox.sendMeta(text("4915100000901", "m")).status()).isEqualTo(200);
        assertThat(sandbox.server.faults()).isEqualTo(Faults.none());

        assertThat(sandbox.admin("PUT", "/_sandbox/faults", json("{'http500':0.6,'reset':0.6}")).status())
                .isEqualTo(400);
        assertThat(sandbox.admin("PUT", "/_sandbox/faults", json("{'mode':'sometimes'}")).status()).isEqualTo(400);
        assertThat(sandbox.admin("PUT", "/_sandbox/faults", json("{'http_500':0.1}")).status()).isEqualTo(400);
        var settings = sandbox.admin("GET", "/_sandbox/settings", null).json();
        assertThat(settings.at("/faults/mode").asText()).isEqualTo("before_accept");
        assertThat(settings.at("/faults/held_requests").asInt()).isZero();
        assertThat(settings.get("seed").asLong()).isEqualTo(42L);
        assertThat(sandbox.admin("GET", "/_sandbox/stats", null).json()
                .at("/numbers/" + META_ID + "/faults_by_kind/http500").asLong()).isEqualTo(1);
    }

    /**
     * A client whose connection is open: with HTTP/2 preferred, a first GET upgrades it to h2c, so the
     * faults hit a stream of a multiplexed connection (reset as a stream, not the connection).
     */
    private static RawHttp warmedUp(HttpClient.Version version) {
        RawHttp client = new RawHttp(version);
        assertThat(client.send("GET", sandbox.server.baseUrl() + "/_sandbox/settings", null, null, null).status())
                .isEqualTo(200);
        return client;
    }

    /** Sends {@code n} messages to distinct recipients one after another; outcome = status or "io". */
    private static List<String> sendMany(int n) {
        RawHttp client = new RawHttp(HttpClient.Version.HTTP_1_1);
        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            try {
                outcomes.add(String.valueOf(sandbox.sendMeta(client, text("49152" + (1000000 + i), "m"), SHORT)
                        .status()));
            } catch (UncheckedIOException e) {
                outcomes.add("io");
            }
        }
        return outcomes;
    }
}
