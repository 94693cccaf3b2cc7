package io.wabatch.sender.pace;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SecondCapTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void noWallClockSecondGetsMoreThanTheLimitHowEverManyAskAtOnce() throws Exception {
        Map<Long, AtomicInteger> perSecond = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(12);
        vertx.runOnContext(v -> {
            SecondCap cap = new SecondCap(vertx, Map.of("c", 5));
            for (int i = 0; i < 12; i++) {
                cap.acquire("c").onSuccess(ok -> {
                    perSecond.computeIfAbsent(System.currentTimeMillis() / 1_000, s -> new AtomicInteger())
                            .incrementAndGet();
                    done.countDown();
                });
            }
        });

        assertThat(done.await(10, TimeUnit.SECONDS)).as("all 12 went within 3 seconds").isTrue();
        assertThat(perSecond.values()).allSatisfy(n -> assertThat(n.get()).isLessThanOrEqualTo(5));
        assertThat(perSecond).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void aNewLimitAppliesAtOnce() throws Exception {
        AtomicInteger immediate = new AtomicInteger();
        CountDownLatch asked = new CountDownLatch(1);
        vertx.runOnContext(v -> {
            SecondCap cap = new SecondCap(vertx, Map.of("c", 100));
            cap.setLimit("c", 2);
            for (int i = 0; i < 10; i++) {
                if (cap.acquire("c").isComplete()) {
                    immediate.incrementAndGet();
                }
            }
            asked.countDown();
        });
        assertThat(asked.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(immediate.get()).isEqualTo(2);
    }

    @Test
    void aChangedLimitKeepsWhatTheCurrentSecondSentAlready() throws Exception {
        AtomicInteger immediate = new AtomicInteger();
        CountDownLatch asked = new CountDownLatch(1);
        // Early in a second, so the asks below share one.
        org.awaitility.Awaitility.await("early in a second").atMost(java.time.Duration.ofSeconds(2))
                .pollInterval(java.time.Duration.ofMillis(5)).until(() -> System.currentTimeMillis() % 1_000 < 300);
        vertx.runOnContext(v -> {
            SecondCap cap = new SecondCap(vertx, Map.of("c", 10));
            for (int i = 0; i < 3; i++) {
                cap.acquire("c");
            }
            cap.setLimit("c", 5);
            for (int i = 0; i < 5; i++) {
                if (cap.acquire("c").isComplete()) {
                    immediate.incrementAndGet();
                }
            }
            asked.countDown();
        });
        assertThat(asked.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(immediate.get()).as("5 less the 3 this second sent").isEqualTo(2);
    }
}
