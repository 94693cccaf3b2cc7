package io.wabatch.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabatch.sandbox.api.stats.PairLimiter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The pair limiter's bucket arithmetic on a fake clock. */
class PairLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void burstThenOneTokenPerWindow() {
        PairLimiter limiter = new PairLimiter(Duration.ofSeconds(6), 3, now::get);

        assertThat(limiter.tryAcquire("n", "a")).isTrue();
        assertThat(limiter.tryAcquire("n", "a")).isTrue();
        assertThat(limiter.tryAcquire("n", "a")).isTrue();
        assertThat(limiter.tryAcquire("n", "a")).isFalse();
        advance(Duration.ofMillis(5_999));
        assertThat(limiter.tryAcquire("n", "a")).isFalse();
        advance(Duration.ofMillis(1));
        assertThat(limiter.tryAcquire("n", "a")).isTrue();
        assertThat(limiter.tryAcquire("n", "a")).isFalse();
        advance(Duration.ofSeconds(18));
        assertThat(limiter.tryAcquire("n", "a")).isTrue();
        assertThat(limiter.tryAcquire("n", "a")).isTrue();
        assertThat(limiter.tryAcquire("n", "a")).isTrue();
        assertThat(limiter.tryAcquire("n", "a")).isFalse();
    }

    @Test
    void refundGivesTheTokenBack() {
        PairLimiter limiter = new PairLimiter(Duration.ofSeconds(6), 1, now::get);

        assertThat(limiter.tryAcquire("n", "a")).isTrue();
        limiter.refund("n", "a");

        assertThat(limiter.tryAcquire("n", "a")).isTrue();
        assertThat(limiter.tryAcquire("n", "a")).isFalse();
    }

    @Test
    void fullBucketsAreForgottenAndOffMeansNoLimitAndNoMemory() {
        PairLimiter limiter = new PairLimiter(Duration.ofSeconds(6), 2, now::get);
        for (int i = 0; i < 1000; i++) {
            limiter.tryAcquire("n", "r" + i);
        }
        assertThat(limiter.trackedPairs()).isEqualTo(1000);
        advance(Duration.ofSeconds(6));
        limiter.tryAcquire("n", "r0");
        limiter.tryAcquire("n", "r0");
        assertThat(limiter.trackedPairs()).isEqualTo(1);
        advance(Duration.ofSeconds(12));
        assertThat(limiter.trackedPairs()).isZero();

        limiter.configure(null, 1);
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.tryAcquire("n", "a")).isTrue();
        }
        assertThat(limiter.trackedPairs()).isZero();
    }
}
