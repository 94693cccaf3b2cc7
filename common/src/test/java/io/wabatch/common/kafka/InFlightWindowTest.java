package io.wabatch.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class InFlightWindowTest {

    private static final TopicPartition P0 = new TopicPartition("jobs", 0);
    private static final TopicPartition P1 = new TopicPartition("jobs", 1);

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final InFlightWindow window = new InFlightWindow(10);
    private final Map<TopicPartition, Integer> waiting = new HashMap<>();
    private final Set<TopicPartition> suspended = new HashSet<>();

    @Test
    void roomIsWhatTheWindowHasLeft() {
        assertThat(window.room(0)).isEqualTo(10);
        assertThat(window.room(7)).isEqualTo(3);
        assertThat(window.room(10)).isZero();
        assertThat(window.room(12)).isZero();
    }

    @Test
    void pausesOnlyThePartitionWithAFullQueueAndResumesItAtHalf() {
        consumer.assign(List.of(P0, P1));

        update(P0, 9);
        assertThat(consumer.paused()).isEmpty();

        update(P0, 14);
        assertThat(consumer.paused()).as("P1 keeps flowing").containsExactly(P0);

        update(P0, 6);
        assertThat(consumer.paused()).as("above half: still paused").containsExactly(P0);

        update(P0, 5);
        assertThat(consumer.paused()).isEmpty();
    }

    @Test
    void eachPartitionIsJudgedOnItsOwnQueue() {
        consumer.assign(List.of(P0, P1));
        waiting.put(P1, 10);

        update(P0, 10);
        assertThat(consumer.paused()).containsExactlyInAnyOrder(P0, P1);

        waiting.put(P1, 0);
        update(P0, 8);
        assertThat(consumer.paused()).containsExactly(P0);
    }

    @Test
    void aSuspendedPartitionStaysPausedWhateverItsQueueUntilResumed() {
        consumer.assign(List.of(P0, P1));
        suspended.add(P0);

        update(P0, 0);
        assertThat(consumer.paused()).as("paused with nothing waiting").containsExactly(P0);

        update(P1, 12);
        update(P1, 0);
        update(P0, 0);
        assertThat(consumer.paused()).as("P1 resumed, P0 not").containsExactly(P0);

        suspended.remove(P0);
        update(P0, 7);
        assertThat(consumer.paused()).as("resumed, but above half a queue waiting").containsExactly(P0);

        update(P0, 5);
        assertThat(consumer.paused()).isEmpty();
    }

    @Test
    void aSuspendedPartitionAssignedLaterIsPausedOnTheNextUpdate() {
        suspended.add(P1);
        consumer.assign(List.of(P0));
        update(P0, 0);
        assertThat(consumer.paused()).isEmpty();

        consumer.assign(List.of(P0, P1));
        update(P0, 0);
        assertThat(consumer.paused()).containsExactly(P1);
    }

    private void update(TopicPartition partition, int count) {
        waiting.put(partition, count);
        window.update(consumer, p -> waiting.getOrDefault(p, 0), suspended::contains);
    }
}
