package io.wabatch.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class KeyOrderingTest {

    private static final TopicPartition P0 = new TopicPartition("jobs", 0);
    private static final TopicPartition P1 = new TopicPartition("jobs", 1);

    private final KeyOrdering ordering = new KeyOrdering();

    @Test
    void recordsWithoutKeysStartAtOnce() {
        assertThat(ordering.admit(P0, List.of(), Promise.promise().future()).isComplete()).isTrue();
        assertThat(ordering.admit(P0, null, Promise.promise().future()).isComplete()).isTrue();
        assertThat(ordering.size()).isZero();
    }

    @Test
    void aRecordWaitsForTheEarlierRecordWithItsKey() {
        Promise<Void> first = Promise.promise();
        Future<?> firstReady = ordering.admit(P0, List.of("+4915"), first.future());
        Future<?> secondReady = ordering.admit(P0, List.of("+4915"), Promise.promise().future());
        Future<?> otherReady = ordering.admit(P0, List.of("+4916"), Promise.promise().future());

        assertThat(firstReady.isComplete()).isTrue();
        assertThat(secondReady.isComplete()).isFalse();
        assertThat(otherReady.isComplete()).as("another recipient is not held back").isTrue();

        first.complete();
        assertThat(secondReady.isComplete()).isTrue();
    }

    @Test
    void chainsKeepOffsetOrderEvenWhenLaterRecordsFinishFirst() {
        Promise<Void> a = Promise.promise();
        Promise<Void> b = Promise.promise();
        ordering.admit(P0, List.of("k"), a.future());
        Future<?> bReady = ordering.admit(P0, List.of("k"), b.future());
        Future<?> cReady = ordering.admit(P0, List.of("k"), Promise.promise().future());

        a.complete();
        assertThat(bReady.isComplete()).isTrue();
        assertThat(cReady.isComplete()).as("c waits for b, not only for a").isFalse();

        b.complete();
        assertThat(cReady.isComplete()).isTrue();
    }

    @Test
    void aRecordWithSeveralKeysWaitsForEveryPredecessor() {
        Promise<Void> onA = Promise.promise();
        Promise<Void> onB = Promise.promise();
        Promise<Void> batch = Promise.promise();
        ordering.admit(P0, List.of("a"), onA.future());
        ordering.admit(P0, List.of("b"), onB.future());
        Future<?> batchReady = ordering.admit(P0, List.of("a", "b", "a"), batch.future());
        Future<?> laterOnB = ordering.admit(P0, List.of("b"), Promise.promise().future());

        onB.complete();
        assertThat(batchReady.isComplete()).as("still waits for a").isFalse();
        onA.complete();
        assertThat(batchReady.isComplete()).isTrue();
        assertThat(laterOnB.isComplete()).as("waits for the batch that shares b").isFalse();
        batch.complete();
        assertThat(laterOnB.isComplete()).isTrue();
    }

    @Test
    void partitionsDoNotShareKeys() {
        ordering.admit(P0, List.of("k"), Promise.promise().future());

        assertThat(ordering.admit(P1, List.of("k"), Promise.promise().future()).isComplete()).isTrue();
    }

    @Test
    void finishedRecordsLeaveNoEntries() {
        Promise<Void> a = Promise.promise();
        Promise<Void> b = Promise.promise();
        ordering.admit(P0, List.of("x", "y"), a.future());
        ordering.admit(P0, List.of("y", "z"), b.future());
        assertThat(ordering.size()).isEqualTo(3);

        a.complete();
        assertThat(ordering.size()).as("y now belongs to b").isEqualTo(2);
        b.complete();
        assertThat(ordering.size()).isZero();
        assertThat(ordering.admit(P0, List.of("y"), Promise.promise().future()).isComplete()).isTrue();
    }
}
