package io.wabatch.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DoneOffsetsTest {

    @Test
    void runLengthsInBase36AlternatelyNotDoneAndDoneFromTheCommittedOffset() {
        List<OffsetRange> done = List.of(new OffsetRange(101, 111), new OffsetRange(113, 114));

        assertThat(DoneOffsets.encode(100, done)).isEqualTo("wabatch-done-v1:1,a,2,1");
        assertThat(DoneOffsets.decode(100, "wabatch-done-v1:1,a,2,1")).isEqualTo(done);
    }

    @Test
    void nothingDoneIsTheEmptyMetadataOfAnyOtherCommit() {
        assertThat(DoneOffsets.encode(7, List.of())).isEmpty();
        assertThat(DoneOffsets.decode(7, "")).isEmpty();
        assertThat(DoneOffsets.decode(7, null)).isEmpty();
    }

    @Test
    void roundTripsRandomSetsAndLargeOffsets() {
        Random random = new Random(42);
        for (int run = 0; run < 1_000; run++) {
            long committed = run % 10 == 0 ? Long.MAX_VALUE - 1_000_000 : random.nextInt(1_000_000);
            List<OffsetRange> done = new ArrayList<>();
            long position = committed + (run % 3 == 0 ? 0 : 1 + random.nextInt(50));
            for (int i = random.nextInt(40); i > 0; i--) {
                long to = position + 1 + random.nextInt(run % 2 == 0 ? 3 : 100_000);
                done.add(new OffsetRange(position, to));
                position = to + 1 + random.nextInt(20);
            }
            String metadata = DoneOffsets.encode(committed, done);

            assertThat(DoneOffsets.decode(committed, metadata)).as(metadata).isEqualTo(done);
        }
    }

    @Test
    void aWindowOf256InFlightFitsTheBrokersDefaultLimitEvenWithRunsOfBillionsOfOffsets() {
        // Each record in flight alone between two done runs: the most runs 256 records can make.
        long run = 36L * 36 * 36 * 36 * 36 * 36 - 1;
        String metadata = DoneOffsets.encode(0, alternating(256, run, run));

        assertThat(metadata).hasSize(DoneOffsets.PREFIX.length() + 256 * (6 + 1 + 6 + 1) - 1)
                .hasSizeLessThanOrEqualTo(DoneOffsets.MAX_LENGTH);
    }

    @Test
    void aWindowOf512InFlightFitsWithDoneRunsOfUpToAMillionOffsets() {
        String singles = DoneOffsets.encode(0, alternating(512, 1, 1));
        String longRuns = DoneOffsets.encode(0, alternating(512, 1, 36L * 36 * 36 * 36 - 1));

        assertThat(singles).as("two characters per offset").hasSize(DoneOffsets.PREFIX.length() + 512 * 4 - 1);
        assertThat(longRuns).hasSize(DoneOffsets.PREFIX.length() + 512 * (1 + 1 + 4 + 1) - 1)
                .hasSizeLessThanOrEqualTo(DoneOffsets.MAX_LENGTH);
        assertThat(DoneOffsets.encode(0, alternating(512, 1, 36L * 36 * 36 * 36 * 36 - 1)))
                .as("runs of 60 million offsets (five digits) no longer fit")
                .hasSizeGreaterThan(DoneOffsets.MAX_LENGTH);
    }

    @Test
    void tooLongKeepsTheLongestPrefixThatFitsDroppingTheHighestDoneOffsets() {
        List<OffsetRange> done = alternating(2_000, 1, 1);

        String metadata = DoneOffsets.encode(0, done, DoneOffsets.MAX_LENGTH);

        assertThat(metadata).hasSizeLessThanOrEqualTo(DoneOffsets.MAX_LENGTH)
                .hasSizeGreaterThan(DoneOffsets.MAX_LENGTH - 4);
        List<OffsetRange> kept = DoneOffsets.decode(0, metadata);
        assertThat(kept).isEqualTo(done.subList(0, kept.size()));
        assertThat(DoneOffsets.encode(0, done.subList(0, kept.size() + 1))).hasSizeGreaterThan(DoneOffsets.MAX_LENGTH);
        assertThat(DoneOffsets.encode(0, done, DoneOffsets.PREFIX.length() + 2)).as("not even one range").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"owner\":\"x\"}", "wabatch-done-v2:1,1", "wabatch-done-v1:", "wabatch-done-v1:1",
            "wabatch-done-v1:1,0", "wabatch-done-v1:1,1,0,1", "wabatch-done-v1:-1,2", "wabatch-done-v1:+1,2",
            "wabatch-done-v1:1,,2,1", "wabatch-done-v1:1,2 ", "wabatch-done-v1:1,zzzzzzzzzzzzzzzzz",
            "wabatch-done-v1:1,1y2p0ij32e8e7"})
    void metadataOfAnotherToolOrVersionOrBrokenIsRejected(String metadata) {
        assertThatThrownBy(() -> DoneOffsets.decode(100, metadata)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rangesMustBeSortedApartAndAboveTheCommittedOffset() {
        assertThat(DoneOffsets.encode(5, List.of(new OffsetRange(5, 6)))).as("the first run may be empty")
                .isEqualTo("wabatch-done-v1:0,1");
        assertThatThrownBy(() -> DoneOffsets.encode(5, List.of(new OffsetRange(4, 6))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DoneOffsets.encode(5, List.of(new OffsetRange(6, 7), new OffsetRange(7, 8))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DoneOffsets.encode(5, List.of(new OffsetRange(8, 9), new OffsetRange(6, 7))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** {@code records} alone in flight, each followed by a done run of {@code doneRun} offsets. */
    private static List<OffsetRange> alternating(int records, long notDoneRun, long doneRun) {
        List<OffsetRange> done = new ArrayList<>();
        long position = 0;
        for (int i = 0; i < records; i++) {
            long from = position + notDoneRun;
            done.add(new OffsetRange(from, from + doneRun));
            position = from + doneRun;
        }
        return done;
    }
}
