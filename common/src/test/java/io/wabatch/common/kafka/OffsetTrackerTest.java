package io.wabatch.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    private final OffsetTracker tracker = new OffsetTracker();

    @Test
    void nothingIsCommittableBeforeTheFirstRecordIsAcknowledged() {
        start(0, 1, 2);

        assertThat(tracker.committable()).isEqualTo(-1);
        assertThat(tracker.commitDue(true)).isNull();
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
    void aCommitIsDueWhenTheOffsetOrTheDoneSetChanged() {
        start(0, 1, 2);
        tracker.ack(0);
        assertThat(tracker.commitDue(true)).isEqualTo(new OffsetAndMetadata(1, ""));

        tracker.committed(tracker.commitDue(true));
        assertThat(tracker.commitDue(true)).isNull();

        tracker.ack(2);
        OffsetAndMetadata doneAbove = tracker.commitDue(true);
        assertThat(doneAbove).as("1 still unfinished, 2 done").isEqualTo(new OffsetAndMetadata(1, "wabatch-done-v1:1,1"));
        tracker.committed(doneAbove);
        assertThat(tracker.commitDue(true)).isNull();

        tracker.ack(1);
        assertThat(tracker.commitDue(true)).isEqualTo(new OffsetAndMetadata(3, ""));
    }

    @Test
    void theDoneRecordsAboveTheLowestUnfinishedOneAreCommittedWithIt() {
        start(0, 1, 2, 3, 4, 5, 6);
        tracker.ack(3);
        tracker.ack(4);
        tracker.ack(6);

        OffsetAndMetadata commit = tracker.commitDue(true);
        assertThat(commit.offset()).isZero();
        assertThat(DoneOffsets.decode(0, commit.metadata()))
                .containsExactly(new OffsetRange(3, 5), new OffsetRange(6, 7));
    }

    @Test
    void offsetsBetweenDoneRecordsCountAsDoneAndOthersAsNotDone() {
        start(10, 11, 15, 20, 40, 50);
        tracker.ack(11);
        tracker.ack(15);
        tracker.ack(40);

        assertThat(tracker.done()).as("12-14 are no records: one run").containsExactly(new OffsetRange(11, 16),
                new OffsetRange(40, 41));
        tracker.ack(20);
        assertThat(tracker.done()).containsExactly(new OffsetRange(11, 41));
        tracker.ack(10);
        assertThat(tracker.commitDue(true)).isEqualTo(new OffsetAndMetadata(50, ""));
    }

    @Test
    void aRestoredTrackerSkipsTheRecordsDoneBeforeAndCommitsPastThem() {
        List<OffsetRange> before = List.of(new OffsetRange(51, 61), new OffsetRange(63, 64));
        tracker.restore(50, DoneOffsets.encode(50, before), before);

        assertThat(tracker.commitDue(true)).as("nothing changed").isNull();
        assertThat(poll(50, 51, 52, 60, 61, 62, 63, 64)).containsExactly(50L, 61L, 62L, 64L);
        assertThat(tracker.commitDue(true)).as("no record polled since is done").isNull();

        tracker.start(50);
        tracker.start(61);
        tracker.ack(50);
        assertThat(tracker.commitDue(true)).isEqualTo(new OffsetAndMetadata(61, DoneOffsets.encode(61,
                List.of(new OffsetRange(63, 64)))));
        tracker.ack(61);
        assertThat(tracker.commitDue(true)).as("62 not started yet").isEqualTo(
                new OffsetAndMetadata(62, DoneOffsets.encode(62, List.of(new OffsetRange(63, 64)))));
        tracker.start(62);
        tracker.ack(62);
        tracker.start(64);
        assertThat(tracker.commitDue(true)).isEqualTo(new OffsetAndMetadata(64, ""));
    }

    @Test
    void restoredDoneRecordsNotPolledYetAreKeptAndPassed() {
        List<OffsetRange> before = List.of(new OffsetRange(51, 61), new OffsetRange(70, 71));
        tracker.restore(50, DoneOffsets.encode(50, before), before);
        assertThat(poll(50)).containsExactly(50L);
        tracker.start(50);

        tracker.ack(50);
        assertThat(tracker.commitDue(true)).as("51-60 done, 61 unknown")
                .isEqualTo(new OffsetAndMetadata(61, DoneOffsets.encode(61, List.of(new OffsetRange(70, 71)))));
        assertThat(poll(51, 55, 60, 61, 70, 71)).containsExactly(61L, 71L);
    }

    @Test
    void aRestoredDoneSetGetsNoLongerWhenItsRecordsArePolledAgain() {
        Random random = new Random(7);
        for (int run = 0; run < 50; run++) {
            List<Long> offsets = new ArrayList<>();
            long offset = random.nextInt(1_000);
            for (int i = 0; i < 200; i++) {
                offsets.add(offset);
                offset += random.nextInt(4) == 0 ? 2 + random.nextInt(30) : 1;
            }
            OffsetTracker before = new OffsetTracker();
            offsets.forEach(before::start);
            Set<Long> done = new HashSet<>();
            offsets.stream().filter(o -> random.nextInt(3) > 0).forEach(o -> {
                before.ack(o);
                done.add(o);
            });
            OffsetAndMetadata commit = before.commitDue(false);
            if (commit == null) {
                continue;
            }
            OffsetTracker after = new OffsetTracker();
            after.restore(commit.offset(), commit.metadata(), DoneOffsets.decode(commit.offset(), commit.metadata()));
            for (long polled : offsets.stream().filter(o -> o >= commit.offset()).toList()) {
                assertThat(after.poll(polled)).as("offset %d started again", polled).isEqualTo(!done.contains(polled));
                OffsetAndMetadata again = after.commitDue(false);
                if (again != null) {
                    assertThat(again.offset()).isEqualTo(commit.offset());
                    assertThat(again.metadata().length()).isLessThanOrEqualTo(commit.metadata().length());
                }
            }
        }
    }

    @Test
    void ackWithinKeepsTheDoneSetShortEnoughAndAlwaysLetsTheLowestRecordThrough() {
        start(LongStream.range(0, 400).toArray());
        int maxLength = DoneOffsets.PREFIX.length() + 100;
        List<Long> refused = new ArrayList<>();
        for (long offset = 399; offset > 0; offset -= 2) {
            if (!tracker.ackWithin(offset, maxLength)) {
                refused.add(offset);
            }
        }
        OffsetAndMetadata commit = tracker.commitDue(false);
        assertThat(refused).as("refused once the metadata would be too long").isNotEmpty();
        assertThat(commit.metadata()).hasSizeLessThanOrEqualTo(maxLength).hasSizeGreaterThan(maxLength - 10);
        assertThat(tracker.inFlight()).isEqualTo(200 + refused.size());

        while (tracker.inFlight() > 0) {
            long lowest = tracker.lowest();
            assertThat(tracker.ackWithin(lowest, maxLength)).as("the lowest, %d", lowest).isTrue();
            refused.remove(Long.valueOf(lowest));
            assertThat(tracker.commitDue(false).metadata()).hasSizeLessThanOrEqualTo(maxLength);
            refused.removeIf(offset -> tracker.ackWithin(offset, maxLength));
        }
        assertThat(refused).isEmpty();
        assertThat(tracker.commitDue(false)).isEqualTo(new OffsetAndMetadata(400, ""));
    }

    @Test
    void aDoneSetTooLongIsTruncatedOnlyWhenAllowed() {
        start(LongStream.range(0, 6_000).toArray());
        for (long offset = 1; offset < 6_000; offset += 2) {
            tracker.ack(offset);
        }
        assertThat(tracker.commitDue(true).metadata()).hasSizeLessThanOrEqualTo(DoneOffsets.MAX_LENGTH);
        assertThatThrownBy(() -> tracker.commitDue(false)).isInstanceOf(IllegalStateException.class);
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

    private List<Long> poll(long... offsets) {
        List<Long> toStart = new ArrayList<>();
        for (long offset : offsets) {
            if (tracker.poll(offset)) {
                toStart.add(offset);
            }
        }
        return toStart;
    }

    private void start(long... offsets) {
        for (long offset : offsets) {
            tracker.start(offset);
        }
    }
}
