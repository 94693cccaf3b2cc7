package io.wabatch.sender.defer;

import io.wabatch.common.kafka.DeferTiers;
import io.wabatch.common.kafka.TopicNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings deferred jobs back when due. Reads every defer tier topic in its own consumer group; each
 * tier's records all wait the tier's delay, so a partition is in due order and only its head is
 * looked at: while the head's delay has not passed, the partition is paused (and rewound to the
 * head) until it has. A released record goes on to the tier for what is left of its wait or, once
 * less than the shortest tier remains, back to the ready topic, where the sender waits out the rest
 * in memory. Offsets are committed after the records passed on are acknowledged (at least once).
 *
 * <p>Runs on its own thread; holds nothing but the pause deadlines, whatever the number of jobs
 * deferred.
 */
public final class DeferredRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeferredRelay.class);
    private static final Duration MAX_POLL = Duration.ofMillis(200);

    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final TopicNames topics;
    private final Clock clock;
    private final Map<TopicPartition, Long> pausedUntil = new HashMap<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final AtomicLong relayed = new AtomicLong();
    private final Thread thread;
    private volatile boolean started;

    /**
     * @param consumer owned from now on; its own group, no auto-commit
     * @param producer owned from now on; partitions the ready and tier topics by channel
     */
    public DeferredRelay(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer, TopicNames topics,
                         Clock clock) {
        this.consumer = consumer;
        this.producer = producer;
        this.topics = topics;
        this.clock = clock;
        this.thread = new Thread(this::run, "deferred-relay");
    }

    public DeferredRelay start() {
        started = true;
        thread.start();
        return this;
    }

    /** Completes when the relay stopped: normally after {@link #close()}, exceptionally when it failed. */
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    /** Records passed on so far (to a tier or back to the ready topic). */
    public long relayed() {
        return relayed.get();
    }

    private void run() {
        try {
            consumer.subscribe(topics.deferredTopics(), new Rebalance());
            while (!closing.get()) {
                resumeDue();
                ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout());
                Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                List<Future<RecordMetadata>> sends = new ArrayList<>();
                for (TopicPartition partition : records.partitions()) {
                    relay(partition, records.records(partition), done, sends);
                }
                if (!done.isEmpty()) {
                    producer.flush();
                    for (Future<RecordMetadata> send : sends) {
                        send.get(); // flush() does not report failures: a failed send must not be committed
                    }
                    commit(done);
                }
            }
            terminated.complete(null);
        } catch (WakeupException e) {
            terminated.complete(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            terminated.complete(null);
        } catch (ExecutionException | RuntimeException | Error e) {
            LOG.error("deferred relay stopped: {}; deferred jobs not committed will be relayed again", e.toString(), e);
            terminated.completeExceptionally(e);
        } finally {
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                LOG.debug("deferred relay consumer close: {}", e.toString());
            }
            producer.close(Duration.ofSeconds(5));
        }
    }

    private void relay(TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> records,
                       Map<TopicPartition, OffsetAndMetadata> done, List<Future<RecordMetadata>> sends) {
        Duration delay = DeferTiers.delayOf(topics.deferred(), partition.topic());
        int passed = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            long releaseAt = record.timestamp() + delay.toMillis();
            long now = clock.millis();
            if (releaseAt > now) {
                // The head is not due: everything behind it in this tier is due no sooner.
                consumer.seek(partition, record.offset());
                consumer.pause(List.of(partition));
                pausedUntil.put(partition, releaseAt);
                break;
            }
            sends.add(producer.send(onward(record, Instant.ofEpochMilli(now))));
            passed++;
            done.put(partition, new OffsetAndMetadata(record.offset() + 1));
        }
        relayed.addAndGet(passed);
        if (passed > 0) {
            LOG.debug("relayed {} deferred job(s) from {}", passed, partition);
        }
    }

    /** To the tier for the rest of the wait, or to the ready topic when less than the shortest tier remains. */
    private ProducerRecord<byte[], byte[]> onward(ConsumerRecord<byte[], byte[]> record, Instant now) {
        Deferrals.Carried carried = Deferrals.carried(record.headers());
        Duration remaining = carried.due() == null ? Duration.ZERO : Duration.between(now, carried.due());
        String topic = topics.deferTiers().defers(remaining)
                ? DeferTiers.topic(topics.deferred(), topics.deferTiers().tierFor(remaining))
                : topics.ready();
        return new ProducerRecord<>(topic, null, record.key(), record.value(), record.headers());
    }

    /**
     * Commits what was passed on. A rebalance that started meanwhile only means the records are
     * passed on again by their next owner (at least once); the relay goes on.
     */
    private void commit(Map<TopicPartition, OffsetAndMetadata> done) {
        try {
            consumer.commitSync(done);
        } catch (CommitFailedException | RebalanceInProgressException e) {
            LOG.warn("deferred relay: commit failed during a rebalance ({}); those jobs will be relayed again",
                    e.toString());
        }
    }

    private void resumeDue() {
        long now = clock.millis();
        List<TopicPartition> due = pausedUntil.entrySet().stream().filter(e -> e.getValue() <= now)
                .map(Map.Entry::getKey).toList();
        if (!due.isEmpty()) {
            due.forEach(pausedUntil::remove);
            consumer.resume(due);
        }
    }

    private Duration pollTimeout() {
        long now = clock.millis();
        long next = pausedUntil.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
        return Duration.ofMillis(Math.max(1, Math.min(MAX_POLL.toMillis(), next - now)));
    }

    /** Stops relaying; what was passed on is committed, the rest is relayed by the next owner. */
    @Override
    public void close() {
        // No wakeup(): it could interrupt the commit of records already passed on. A poll waits 200 ms at most.
        closing.set(true);
        if (!started) {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            producer.close(Duration.ofSeconds(5));
            return;
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Every record passed on is flushed and committed in the iteration that read it.
            partitions.forEach(pausedUntil::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // Positions come from the committed offsets; a reassigned partition starts unpaused.
        }
    }
}
