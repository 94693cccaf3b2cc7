package io.wabatch.common.kafka;

import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way in for polled records: skips those done before (by their partition's restored done set),
 * queues the rest in {@link PendingRecords}, starts queued records as the {@link InFlightWindow} has
 * room, fairly across partitions not suspended, and pauses or resumes fetching per partition by the
 * size of its queue. Poll thread only.
 */
final class RecordIntake {

    // The loop's own logger: operators know its messages under that name.
    private static final Logger LOG = LoggerFactory.getLogger(ConsumeProduceLoop.class);

    private final String name;
    private final Consumer<byte[], byte[]> consumer;
    private final PartitionStates states;
    private final PendingRecords pending;
    private final InFlightWindow window;
    private final Suspensions suspensions;
    private final RecordDispatcher dispatcher;
    // Bound once: the poll thread passes them every iteration.
    private final ToIntFunction<TopicPartition> waiting;
    private final ToIntFunction<TopicPartition> inFlight;
    private final Predicate<TopicPartition> suspended;

    RecordIntake(String name, Consumer<byte[], byte[]> consumer, PartitionStates states, PendingRecords pending,
                 InFlightWindow window, Suspensions suspensions, RecordDispatcher dispatcher) {
        this.name = name;
        this.consumer = consumer;
        this.states = states;
        this.pending = pending;
        this.window = window;
        this.suspensions = suspensions;
        this.dispatcher = dispatcher;
        this.waiting = pending::size;
        this.inFlight = states::inFlight;
        this.suspended = states::suspended;
    }

    /** Queues a poll's records that were not done before, after applying the suspensions asked for meanwhile. */
    void accept(ConsumerRecords<byte[], byte[]> records) {
        // After the poll, so that no record of a partition suspended during it starts.
        suspensions.applyTo(states);
        for (TopicPartition partition : records.partitions()) {
            PartitionState state = states.get(partition);
            if (state == null) {
                LOG.warn("{}: records for unassigned partition {} ignored", name, partition);
                continue;
            }
            List<ConsumerRecord<byte[], byte[]>> polled = records.records(partition);
            List<ConsumerRecord<byte[], byte[]>> toStart = states.polled(state, polled);
            if (toStart.size() < polled.size()) {
                LOG.debug("{}: {} record(s) of {} done before, skipped", name, polled.size() - toStart.size(), partition);
            }
            pending.add(partition, toStart);
        }
    }

    /** Starts as many queued records as the window has room for, each partition's in offset order. */
    void start() {
        int room = window.room(states.inWindow());
        if (room == 0 || pending.size() == 0) {
            return;
        }
        pending.take(room, inFlight, suspended).forEach((partition, records) -> {
            PartitionState state = states.get(partition);
            records.forEach(record -> states.started(state, record.offset()));
            dispatcher.dispatch(state, records);
        });
    }

    /** Pauses fetching partitions with a full queue (or suspended), resumes those with room again. */
    void throttle() {
        window.update(consumer, waiting, suspended);
    }

    /** Whether records of partitions not suspended are in flight: then the next poll should be short. */
    boolean busy() {
        return states.inWindow() > 0;
    }
}
