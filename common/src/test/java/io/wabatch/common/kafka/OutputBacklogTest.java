package io.wabatch.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OutputBacklogTest {

    private final PartitionState state = new PartitionState(new TopicPartition("jobs", 0));
    private final OutputBacklog backlog = new OutputBacklog();
    private final List<Long> produced = new ArrayList<>();
    private final List<Long> dropped = new ArrayList<>();

    @Test
    void recordsLeaveInTheOrderTheyWereHandledWhileTheyFit() {
        start(0, 1, 2, 3);
        handled(2, 3, 1);

        backlog.drain(produceIf(Set.of(1L, 2L, 3L)), this::drop);

        assertThat(produced).containsExactly(2L, 3L, 1L);
        assertThat(backlog.size()).isZero();
    }

    @Test
    void aRecordThatDoesNotFitHoldsBackThoseHandledAfterItButNotTheLowestRecord() {
        start(0, 1, 2, 3);
        handled(2, 3, 0);

        backlog.drain(produceIf(Set.of(3L)), this::drop);
        assertThat(produced).as("the lowest record, 0, always goes; 3 waits behind 2").containsExactly(0L);
        assertThat(backlog.size()).isEqualTo(2);

        backlog.drain(produceIf(Set.of(2L, 3L)), this::drop);
        assertThat(produced).containsExactly(0L, 2L, 3L);
    }

    @Test
    void theRecordsOfARevokedPartitionAreDropped() {
        start(0, 1);
        handled(1);
        state.revoke();

        backlog.drain(produceIf(Set.of(1L)), this::drop);

        assertThat(produced).isEmpty();
        assertThat(dropped).containsExactly(1L);
        assertThat(backlog.size()).isZero();
    }

    private void start(long... offsets) {
        for (long offset : offsets) {
            state.offsets().start(offset);
        }
    }

    private void handled(long... offsets) {
        for (long offset : offsets) {
            backlog.add(new LoopEvent.Handled(state, offset, List.of()));
        }
    }

    /** Produces (and so marks done) the lowest record and those in {@code fitting}. */
    private java.util.function.Predicate<LoopEvent.Handled> produceIf(Set<Long> fitting) {
        return handled -> {
            if (handled.offset() != state.offsets().lowest() && !fitting.contains(handled.offset())) {
                return false;
            }
            state.offsets().ack(handled.offset());
            produced.add(handled.offset());
            return true;
        };
    }

    private void drop(LoopEvent.Handled handled) {
        dropped.add(handled.offset());
    }
}
