package io.wabatch.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionStatesTest {

    private static final TopicPartition P0 = new TopicPartition("jobs", 0);
    private static final TopicPartition P1 = new TopicPartition("jobs", 1);

    private final PartitionStates states = new PartitionStates();

    @Test
    void recordsInFlightOfASuspendedPartitionLeaveTheWindowUntilItIsResumed() {
        states.assign(List.of(P0, P1));
        start(P0, 0, 4);
        start(P1, 0, 3);
        assertCounts(7, 7);

        assertThat(states.suspend(P0)).isTrue();
        assertThat(states.suspend(P0)).as("idempotent").isFalse();
        assertCounts(7, 3);

        start(P0, 4, 1);
        states.acked(states.get(P0), 0);
        states.acked(states.get(P1), 0);
        assertCounts(6, 2);

        assertThat(states.resume(P0)).isTrue();
        assertThat(states.resume(P0)).isFalse();
        assertCounts(6, 6);
        assertThat(states.get(P0).offsets().committable()).as("commits as always").isEqualTo(1);
    }

    @Test
    void aSuspensionAppliesToPartitionsAssignedLaterAndOutlivesRevocation() {
        assertThat(states.suspend(P0)).isTrue();
        states.assign(List.of(P0));
        start(P0, 0, 2);
        assertCounts(2, 0);

        PartitionState revoked = states.get(P0);
        states.revoke(List.of(P0));
        assertThat(states.suspended(P0)).isTrue();
        states.assign(List.of(P0));
        start(P0, 0, 1);
        assertCounts(3, 0);

        states.resume(P0);
        assertCounts(3, 3);
        states.acked(revoked, 1);
        assertThat(states.suspend(P0)).isTrue();
        assertCounts(2, 0);
        states.acked(revoked, 0);
        states.acked(states.get(P0), 0);
        assertCounts(0, 0);
        states.resume(P0);
        assertCounts(0, 0);
    }

    private void start(TopicPartition partition, long first, int count) {
        for (long offset = first; offset < first + count; offset++) {
            states.started(states.get(partition), offset);
        }
    }

    private void assertCounts(int inFlight, int inWindow) {
        assertThat(states.inFlight()).as("in flight").isEqualTo(inFlight);
        assertThat(states.inWindow()).as("in the window").isEqualTo(inWindow);
    }
}
