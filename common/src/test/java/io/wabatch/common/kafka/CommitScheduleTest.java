package io.wabatch.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class CommitScheduleTest {

    private static final TopicPartition P0 = new TopicPartition("jobs", 0);

    /** Records the commits; fails them while {@code failing}. */
    private static final class Recording implements Committer {
        final List<Collection<TopicPartition>> commits = new ArrayList<>();
        boolean started;
        boolean failing;
        int aborts;

        @Override
        public void start() {
            started = true;
        }

        @Override
        public void commit(Collection<TopicPartition> partitions) {
            if (failing) {
                throw new KafkaException("refused");
            }
            commits.add(List.copyOf(partitions));
        }

        @Override
        public void abort() {
            aborts++;
        }
    }

    private final Recording committer = new Recording();
    private final PartitionStates states = new PartitionStates();
    private final LoopLifecycle lifecycle = new LoopLifecycle("test", committer);

    @Test
    void commitsTheAssignedPartitionsRightAfterTheStartThenOncePerInterval() {
        states.assign(List.of(P0));
        CommitSchedule schedule = new CommitSchedule(committer, states, Duration.ofHours(1), lifecycle);

        schedule.start();
        schedule.commitIfDue();
        schedule.commitIfDue();

        assertThat(committer.started).isTrue();
        assertThat(committer.commits).containsExactly(List.of(P0));
    }

    @Test
    void aFailedCommitStopsTheLoop() {
        CommitSchedule schedule = new CommitSchedule(committer, states, Duration.ofHours(1), lifecycle);
        committer.failing = true;

        schedule.commit(List.of(P0));

        assertThat(lifecycle.failure()).isInstanceOf(KafkaException.class);
        assertThat(committer.aborts).isEqualTo(1);
    }
}
