package io.wabatch.sender.pace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.wabatch.common.api.ApiEndpoint;
import io.wabatch.common.channel.Channel;
import io.wabatch.common.secret.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class AdaptivePaceTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close();
    }

    @Test
    void throughputLimitCutsThePaceOncePerHoldoffDownToTheFloor() throws Exception {
        AdaptivePace pace = pace(Duration.ofSeconds(30));
        hit(pace);
        hit(pace); // answers of requests already in flight, within the holdoff: no second cut
        assertThat(pace.current("c")).isEqualTo(47.5);
        await("repeated cuts reach the floor").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    hit(pace);
                    return pace.current("c") <= 19.0;
                });
        assertThat(pace.current("c")).as("never below the floor (20% of 95)").isEqualTo(19.0);
    }

    @Test
    void aReducedPaceClimbsBackToTheConfiguredOne() throws Exception {
        AdaptivePace pace = pace(Duration.ofMillis(100));
        hit(pace);
        assertThat(pace.current("c")).isLessThan(95.0);
        await("recovery to the configured pace").atMost(Duration.ofSeconds(5)).until(() -> pace.current("c") == 95.0);
    }

    @Test
    void aPaceCutToTheFloorByAStormClimbsAllTheWayBackOnceItPasses() throws Exception {
        AdaptivePace pace = pace(Duration.ofSeconds(1));
        long[] floorSince = {0};
        await("a storm cuts the pace to the floor and answers 130429 there for five holdoffs")
                .atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
                    hit(pace);
                    if (pace.current("c") > 19.0) {
                        return false;
                    }
                    floorSince[0] = floorSince[0] == 0 ? System.nanoTime() : floorSince[0];
                    return System.nanoTime() - floorSince[0] > Duration.ofMillis(1_000).toNanos();
                });
        await("recovery past the pace of the storm's first hits, to the configured pace").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50)).until(() -> pace.current("c") == 95.0);
    }

    @Test
    void thePaceLeavesTheNumbersInboundRateFreeAndNeverGoesBelowTheFloor() throws Exception {
        Channel channel = new Channel("m", ApiEndpoint.meta(URI.create("https://x.example"), "v23.0", "1065",
                Secret.of("t")), null, 0, 100, 0.95, 2, 25);
        InboundRate inbound = new InboundRate(List.of(channel), Duration.ofSeconds(10), java.time.Clock.systemUTC());
        AdaptivePace.Settings settings = new AdaptivePace.Settings(0.5, Duration.ofMillis(200), Duration.ofSeconds(30),
                0.25, 0.2);
        AdaptivePace pace = onContext(() -> new AdaptivePace(vertx, List.of(channel), settings, inbound));
        assertThat(pace.current("m")).as("no inbound traffic: mps × headroom").isEqualTo(95.0);

        // 300 messages within the last 3 s of a 10 s window: 30.0 to 30.3 a second, rounded up to 31.
        java.time.Instant now = java.time.Instant.now();
        for (int i = 0; i < 300; i++) {
            inbound.record("1065", now.minusMillis(i * 10L));
        }
        await("the pace leaves the inbound rate free").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> onContext(() -> pace.current("m")) == 64.0);
        assertThat(onContext(() -> pace.target("m"))).isEqualTo(64.0);
        assertThat(onContext(() -> pace.inbound("m"))).isEqualTo(31.0);
        assertThat(onContext(() -> pace.configured("m"))).isEqualTo(95.0);

        for (int i = 0; i < 2_000; i++) {
            inbound.record("1065", now.minusMillis(i));
        }
        await("inbound traffic above the limit leaves the floor").atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20)).until(() -> onContext(() -> pace.current("m")) == 19.0);
    }

    @Test
    void aPaceBackingOffAfter130429ComesDownToALowerTargetAtOnce()
            throws Exception {
        Channel channel = new Channel("m", ApiEndpoint.meta(URI.create("https://x.example"), "v23.0", "1065",
                Secret.of("t")), null, 0, 100, 0.95, 2, 25);
        InboundRate inbound = new InboundRate(List.of(channel), Duration.ofSeconds(10), java.time.Clock.systemUTC());
        AdaptivePace.Settings settings = new AdaptivePace.Settings(0.9, Duration.ofMillis(200), Duration.ofSeconds(30),
                0.25, 0.2);
        AdaptivePace pace = onContext(() -> new AdaptivePace(vertx, List.of(channel), settings, inbound));
        onContext(() -> {
            pace.throughputLimitHit("m");
            return null;
        });
        assertThat(pace.current("m")).isCloseTo(85.5, org.assertj.core.data.Offset.offset(1e-9));

        java.time.Instant now = java.time.Instant.now();
        for (int i = 0; i < 300; i++) {
            inbound.record("1065", now.minusMillis(i * 10L));
        }
        await("down to the lower target at once").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> onContext(() -> pace.current("m")) == 64.0);
        assertThat(onContext(() -> pace.target("m"))).isEqualTo(64.0);
    }

    private AdaptivePace pace(Duration recovery) throws Exception {
        Channel channel = new Channel("c", ApiEndpoint.d360(URI.create("https://x.example"), Secret.of("k")), null, 0,
                100, 0.95, 2, 25);
        AdaptivePace.Settings settings = new AdaptivePace.Settings(0.5, Duration.ofMillis(200), recovery, 0.25, 0.2);
        return onContext(() -> new AdaptivePace(vertx, List.of(channel), settings));
    }

    private void hit(AdaptivePace pace) throws Exception {
        onContext(() -> {
            pace.throughputLimitHit("c");
            return null;
        });
    }

    private <T> T onContext(java.util.function.Supplier<T> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        vertx.runOnContext(v -> result.complete(action.get()));
        return result.get();
    }
}
