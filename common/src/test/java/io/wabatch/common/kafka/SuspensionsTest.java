package io.wabatch.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class SuspensionsTest {

    private static final TopicPartition P0 = new TopicPartition("jobs", 0);
    private static final TopicPartition P1 = new TopicPartition("jobs", 1);

    private final Suspensions suspensions = new Suspensions("test");
    private final PartitionStates states = new PartitionStates();

    @Test
    void requestsTakeEffectOnlyWhenApplied() {
        states.assign(List.of(P0));
        suspensions.suspend(P0);
        suspensions.suspend(P1);
        assertThat(states.suspended()).isEmpty();

        suspensions.applyTo(states);
        assertThat(states.suspended()).as("assigned or not").containsExactlyInAnyOrder(P0, P1);

        suspensions.resume(P1);
        suspensions.applyTo(states);
        assertThat(states.suspended()).containsExactly(P0);
    }

    @Test
    void theLatestRequestWins() {
        suspensions.suspend(P0);
        suspensions.resume(P0);
        suspensions.applyTo(states);
        assertThat(states.suspended()).isEmpty();

        suspensions.suspend(P0);
        suspensions.applyTo(states);
        suspensions.resume(P0);
        suspensions.suspend(P0);
        suspensions.applyTo(states);
        assertThat(states.suspended()).containsExactly(P0);
    }
}
