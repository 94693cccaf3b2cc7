package io.wabatch.upload.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

class SpoolBudgetTest {

    @Test
    void waitsInOrderWhileFullAndFailsAtOnceWhenItCanNeverFit() {
        SpoolBudget budget = new SpoolBudget(100);
        Future<SpoolBudget.Reservation> a = budget.reserve(60);
        Future<SpoolBudget.Reservation> b = budget.reserve(50);
        Future<SpoolBudget.Reservation> c = budget.reserve(10);
        assertThat(a.succeeded()).isTrue();
        assertThat(b.isComplete()).as("waits: 60 + 50 > 100").isFalse();
        assertThat(c.isComplete()).as("first come, first served: no overtaking").isFalse();
        assertThat(budget.reserve(101).cause()).hasMessageContaining("spool.max.bytes");

        a.result().release();
        a.result().release();
        assertThat(b.succeeded()).isTrue();
        assertThat(c.succeeded()).isTrue();
        assertThat(budget.used()).as("a released once only").isEqualTo(60);
    }
}
