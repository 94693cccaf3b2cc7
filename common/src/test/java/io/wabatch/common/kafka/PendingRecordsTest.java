package io.wabatch.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PendingRecordsTest {

    private static final TopicPartition P0 = new TopicPartition("jobs", 0);
    private static final TopicPartition P1 = new TopicPartition("jobs", 1);
    private static final TopicPartition P2 = new TopicPartition("jobs", 2);

    private final PendingRecords pending = new PendingRecords();
    private final Map<TopicPartition, Integer> inFlight = new HashMap<>();
    private final Set<TopicPartition> suspended = new HashSet<>();

    @Test
    void freeSlotsGoToThePartitionsWithTheFewestRecordsInFlight() {
        pending.add(P0, records(P0, 0, 100));
        pending.add(P1, records(P1, 0, 100));
        inFlight.put(P0, 30);

        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> taken = take(40);

        assertThat(taken.get(P1)).as("P1 catches up with P0, then they alternate").hasSize(35);
        assertThat(taken.get(P0)).hasSize(5);
        assertThat(offsets(taken.get(P0))).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(pending.size()).isEqualTo(160);
    }

    @Test
    void aPartitionAloneMayTakeEverySlot() {
        pending.add(P0, records(P0, 0, 10));
        inFlight.put(P1, 50);

        assertThat(take(8).get(P0)).hasSize(8);
        assertThat(pending.size(P0)).isEqualTo(2);
    }

    @Test
    void takesRecordsInOffsetOrderAcrossPolls() {
        pending.add(P0, records(P0, 0, 3));
        pending.add(P0, records(P0, 3, 3));
        pending.add(P2, records(P2, 7, 1));

        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> taken = take(100);

        assertThat(offsets(taken.get(P0))).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(offsets(taken.get(P2))).containsExactly(7L);
        assertThat(pending.size()).isZero();
        assertThat(take(5)).isEmpty();
    }

    @Test
    void droppedPartitionsLeaveNothingBehind() {
        pending.add(P0, records(P0, 0, 4));
        pending.add(P1, records(P1, 0, 6));

        pending.drop(List.of(P1, P2));

        assertThat(pending.size()).isEqualTo(4);
        assertThat(pending.size(P1)).isZero();
        assertThat(take(10)).containsOnlyKeys(P0);
    }

    @Test
    void aSuspendedPartitionsRecordsStayQueuedInOrderWhileTheOthersTakeEverySlot() {
        pending.add(P0, records(P0, 0, 5));
        pending.add(P1, records(P1, 0, 20));
        suspended.add(P0);
        inFlight.put(P0, 0);
        inFlight.put(P1, 30);

        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> taken = take(10);
        assertThat(taken).containsOnlyKeys(P1);
        assertThat(offsets(taken.get(P1))).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);

        pending.add(P0, records(P0, 5, 2));
        assertThat(take(20)).containsOnlyKeys(P1);
        assertThat(take(20)).as("only the suspended records are left").isEmpty();
        assertThat(pending.size()).isEqualTo(7);

        suspended.remove(P0);
        assertThat(offsets(take(20).get(P0))).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(pending.size()).isZero();
    }

    private Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> take(int slots) {
        return pending.take(slots, this::inFlight, suspended::contains);
    }

    private int inFlight(TopicPartition partition) {
        return inFlight.getOrDefault(partition, 0);
    }

    private static List<ConsumerRecord<byte[], byte[]>> records(TopicPartition partition, long first, int count) {
        return IntStream.range(0, count).mapToObj(i -> new ConsumerRecord<>(partition.topic(), partition.partition(),
                first + i, (byte[]) null, new byte[0])).toList();
    }

    private static List<Long> offsets(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(ConsumerRecord::offset).toList();
    }
}
