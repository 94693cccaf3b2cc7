package io.wabatch.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class LoopLifecycleTest {

    /** Counts aborts; commits nothing. */
    private static final class AbortCounter implements Committer {
        int aborts;

        @Override
        public void commit(Collection<TopicPartition> partitions) {
        }

        @Override
        public void abort() {
            aborts++;
        }
    }

    private final AbortCounter committer = new AbortCounter();
    private final LoopLifecycle lifecycle = new LoopLifecycle("test", committer);

    @Test
    void theFirstFailureWinsAbortsOnceAndEndsTheLoopWithIt() {
        RuntimeException first = new RuntimeException("first");
        lifecycle.fail("one", first);
        lifecycle.fail("two", new RuntimeException("second"));

        assertThat(lifecycle.failure()).isSameAs(first);
        assertThat(lifecycle.failed()).isTrue();
        assertThat(lifecycle.running()).isFalse();
        assertThat(committer.aborts).isEqualTo(1);

        lifecycle.stopped();
        assertThat(lifecycle.terminated()).isCompletedExceptionally();
        assertThat(lifecycle.assigned()).as("never assigned").isCompletedExceptionally();
    }

    @Test
    void membershipFollowsAssignmentAndLoss() {
        assertThat(lifecycle.member()).isFalse();
        lifecycle.joined();
        assertThat(lifecycle.member()).isTrue();
        assertThat(lifecycle.assigned()).isCompleted();
        lifecycle.left();
        assertThat(lifecycle.member()).isFalse();

        lifecycle.stopped();
        assertThat(lifecycle.terminated()).isCompleted().isNotCompletedExceptionally();
        assertThat(lifecycle.assigned()).as("the first assignment stays complete").isNotCompletedExceptionally();
    }

    @Test
    void closingALoopNeverStartedClosesTheConsumerOnTheCallersThread() {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");

        lifecycle.close(consumer, Duration.ofSeconds(1));
        lifecycle.close(consumer, Duration.ofSeconds(1));

        assertThat(consumer.closed()).isTrue();
        assertThat(lifecycle.closing()).isTrue();
        assertThat(lifecycle.running()).isFalse();
    }

    @Test
    void closeWakesThePollThreadAndWaitsForItToStop() {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        List<String> seen = new ArrayList<>();
        lifecycle.start(() -> {
            while (lifecycle.running()) {
                Thread.onSpinWait();
            }
            seen.add(Thread.currentThread().getName());
            lifecycle.stopped();
        });

        lifecycle.close(consumer, Duration.ofSeconds(5));

        assertThat(seen).containsExactly("test");
        // The poll thread counts down (close returns) before it completes terminated, as the loop always did.
        assertThat(lifecycle.terminated()).succeedsWithin(Duration.ofSeconds(5));
        assertThat(consumer.closed()).as("the poll thread closes it").isFalse();
    }
}
