package io.wabatch.sender.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));

    @RepeatedTest(50)
    void growsExponentiallyWithJitterUpToTheCap() {
        assertThat(backoff.delay(1).toMillis()).isBetween(50L, 100L);
        assertThat(backoff.delay(3).toMillis()).isBetween(200L, 400L);
        assertThat(backoff.delay(10).toMillis()).isBetween(1_000L, 2_000L);
        assertThat(backoff.delay(64).toMillis()).isBetween(1_000L, 2_000L);
    }
}
