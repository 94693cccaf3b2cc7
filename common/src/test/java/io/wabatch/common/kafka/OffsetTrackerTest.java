package io.wabatch.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    private final OffsetTracker tracker = new OffsetTracker();

    @Test
    void nothingIsCommittableBeforeTheFirstRecordIsAcknowledged() {
        start(0, 1, 2);

        assertThat(tracker.committable()).isEqualTo(-1);
        assertThat(tracker.commitDue()).isEqualTo(-1);
        assertThat(tracker.inFlight()).isEqualTo(3);
    }

    @Test
    void outOfOrderAcknowledgementsCommitOnlyTheContiguousPrefix() {
        start(0, 1, 2, 3, 4);

        tracker.ack(3);
        tracker.ack(1);
        assertThat(tracker.committable()).as("offset 0 unfinished").isEqualTo(-1);

        tracker.ack(0);
        assertThat(tracker.committable()).as("0 and 1 done, 2 unfinished").isEqualTo(2);

        tracker.ack(2);
        assertThat(tracker.committable()).as("0..3 done, 4 unfinished").isEqualTo(4);

        tracker.ack(4);
        assertThat(tracker.committable()).isEqualTo(5);
        assertThat(tracker.inFlight()).isZero();
    }

    @Test
    void gapsInOffsetsDoNotHoldTheCommitBack() {
        // Compaction and transaction markers leave offsets that are never delivered.
        start(10, 11, 15, 40);

        tracker.ack(15);
        tracker.ack(10);
        assertThat(tracker.committable()).as("11 unfinished").isEqualTo(11);

        tracker.ack(11);
        assertThat(tracker.committable()).as("nothing between 12 and 14 was started").isEqualTo(16);

        tracker.ack(40);
        assertThat(tracker.committable()).isEqualTo(41);
    }

    @Test
    void largeOffsets() {
        long base = Long.MAX_VALUE - 10;
        start(base, base + 1, base + 5, base + 9);

        tracker.ack(base + 9);
        tracker.ack(base + 1);
        tracker.ack(base);
        assertThat(tracker.committable()).isEqualTo(base + 2);

        tracker.ack(base + 5);
        assertThat(tracker.committable()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aCommitIsDueOnlyWhenTheCommittableOffsetMoved() {
        start(0, 1, 2);
        tracker.ack(0);
        assertThat(tracker.commitDue()).isEqualTo(1);

        tracker.committed(1);
        assertThat(tracker.commitDue()).isEqualTo(-1);

        tracker.ack(2);
        assertThat(tracker.commitDue()).as("1 still unfinished").isEqualTo(-1);

        tracker.ack(1);
        assertThat(tracker.commitDue()).isEqualTo(3);
    }

    @Test
    void startsMoreRecordsAfterTheCommittedOnes() {
        start(0, 1);
        tracker.ack(0);
        tracker.ack(1);
        start(2, 3);
        tracker.ack(3);

        assertThat(tracker.committable()).isEqualTo(2);
        assertThat(tracker.inFlight()).isEqualTo(1);
    }

    @Test
    void rejectsOffsetsOutOfOrderAndUnknownOrRepeatedAcknowledgements() {
        start(5);

        assertThatThrownBy(() -> tracker.start(5)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> tracker.start(4)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> tracker.ack(6)).isInstanceOf(IllegalStateException.class);
        tracker.ack(5);
        assertThatThrownBy(() -> tracker.ack(5)).isInstanceOf(IllegalStateException.class);
        assertThat(tracker.inFlight()).isZero();
    }

    @Test
    void manyRecordsAcknowledgedInReverse() {
        int count = 100_000;
        for (int i = 0; i < count; i++) {
            tracker.start(i);
        }
        for (int i = count - 1; i >= 1; i--) {
            tracker.ack(i);
        }
        assertThat(tracker.committable()).isEqualTo(-1);

        tracker.ack(0);
        assertThat(tracker.committable()).isEqualTo(count);
    }

    private void start(long... offsets) {
        for (long offset : offsets) {
            tracker.start(offset);
        }
    }
}
