package io.wabatch.sender.pace;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class PairPacerTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close();
    }

    @Test
    void aRecipientWaitsForItsWindowWhileOthersGoAtOnce() throws Exception {
        PairPacer pairs = new PairPacer(vertx, Duration.ofMillis(400), 1);
        long start = System.nanoTime();
        await(pairs.acquire("c/1"));
        pairs.sent("c/1");
        await(pairs.acquire("c/2"));
        pairs.sent("c/2");
        long othersMs = (System.nanoTime() - start) / 1_000_000;
        await(pairs.acquire("c/1"));
        long sameMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(othersMs).as("first messages go at once").isLessThan(300);
        assertThat(sameMs).as("the second message to c/1 waits for the window").isGreaterThanOrEqualTo(390);
    }

    @Test
    void idleRecipientsAreForgotten() throws Exception {
        // A window far longer than filling takes, even on a loaded machine: all 100 are tracked at first.
        PairPacer pairs = new PairPacer(vertx, Duration.ofMillis(1_000), 1);
        for (int i = 0; i < 100; i++) {
            await(pairs.acquire("c/" + i));
            pairs.sent("c/" + i);
        }
        assertThat(pairs.tracked()).isEqualTo(100);
        org.awaitility.Awaitility.await("idle entries expire on the next use").atMost(Duration.ofSeconds(5))
                .until(() -> {
                    await(pairs.acquire("c/new"));
                    return pairs.tracked() < 100;
                });
    }

    private <T> T await(Future<T> future) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        vertx.runOnContext(v -> future.onComplete(ar -> {
            if (ar.succeeded()) {
                result.complete(ar.result());
            } else {
                result.completeExceptionally(ar.cause());
            }
        }));
        return result.get(10, TimeUnit.SECONDS);
    }
}
