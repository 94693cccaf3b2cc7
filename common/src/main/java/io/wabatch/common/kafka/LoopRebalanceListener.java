package io.wabatch.common.kafka;

import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop's side of a rebalance. Assigned partitions get fresh state with their done sets restored and,
 * if suspended before, are paused before their first fetch. Revoked partitions are drained and committed
 * ({@link PartitionDrain}). Lost partitions are forgotten at once; in the transactional mode that stops the
 * loop, since their output may be in the open transaction. The handler hears of each change after the loop
 * has applied it. Runs inside {@code poll()} and {@code close()}, on the poll thread.
 */
final class LoopRebalanceListener implements ConsumerRebalanceListener {

    // The loop's own logger: operators know its messages under that name.
    private static final Logger LOG = LoggerFactory.getLogger(ConsumeProduceLoop.class);

    private final String name;
    private final Consumer<byte[], byte[]> consumer;
    private final PartitionStates states;
    private final Suspensions suspensions;
    private final DoneRestorer restorer;
    private final PartitionDrain drain;
    private final RecordHandler handler;
    private final boolean transactional;
    private final LoopLifecycle lifecycle;

    LoopRebalanceListener(String name, Consumer<byte[], byte[]> consumer, PartitionStates states,
                          Suspensions suspensions, PartitionDrain drain, RecordHandler handler, boolean transactional,
                          LoopLifecycle lifecycle) {
        this.name = name;
        this.consumer = consumer;
        this.states = states;
        this.suspensions = suspensions;
        this.restorer = new DoneRestorer(name, consumer, states);
        this.drain = drain;
        this.handler = handler;
        this.transactional = transactional;
        this.lifecycle = lifecycle;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        drain.release(partitions);
        handler.onRevoked(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        if (transactional) {
            // Their output may be in the open transaction, which can no longer commit their offsets; aborting
            // it would also drop the output of records of other partitions that count as done.
            lifecycle.fail("lost " + partitions + " without a chance to commit", new IllegalStateException(
                    "partitions lost while their output may be in the open transaction"));
        } else {
            LOG.warn("{}: lost {} without a chance to commit; their records will be redelivered", name, partitions);
        }
        lifecycle.left();
        drain.forget(partitions);
        handler.onRevoked(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        restorer.restore(states.assign(partitions));
        suspensions.applyTo(states);
        // Before the first fetch: a partition suspended before its assignment is never fetched.
        consumer.pause(partitions.stream().filter(states::suspended).toList());
        handler.onAssigned(partitions);
        lifecycle.joined();
    }
}
