package io.wabatch.common.kafka;

import io.vertx.core.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consume → process → produce → commit, at least once. One thread owns the consumer and the
 * producer's sends; records are processed on a Vert.x context, each partition's records in
 * order in a {@link PartitionLane}, partitions concurrently and independently. While a lane is
 * busy its partition is paused and polling continues, so the group never sees this member as dead
 * and other partitions keep flowing. When a lane is done its output is produced, the producer
 * flushed, and only then is its offset committed: a crash between the two replays the lane's
 * records, never skips them.
 *
 * <p>On revocation the owner finishes the lanes in flight (bounded by the drain timeout) and
 * commits before the partitions go to another member.
 */
public final class ConsumeProduceLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumeProduceLoop.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(100);
    private static final Duration BUSY_POLL = Duration.ofMillis(5);

    private final String name;
    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final Collection<String> topics;
    private final Context context;
    private final RecordHandler handler;
    private final Duration drainTimeout;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CompletableFuture<Void> subscribed = new CompletableFuture<>();
    private final Map<TopicPartition, PartitionLane> lanes = new HashMap<>();
    private volatile Throwable failure;
    private Thread thread;

    public ConsumeProduceLoop(String name, Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer,
                              Collection<String> topics, Context context, RecordHandler handler, Duration drainTimeout) {
        this.name = name;
        this.consumer = consumer;
        this.producer = producer;
        this.topics = List.copyOf(topics);
        this.context = context;
        this.handler = handler;
        this.drainTimeout = drainTimeout;
    }

    /** Starts the loop on its own thread. */
    public void start() {
        thread = new Thread(this::run, name);
        thread.start();
    }

    /** Completes once the consumer has joined the group and received its first assignment. */
    public CompletableFuture<Void> assigned() {
        return subscribed;
    }

    /** The error that stopped the loop, if any. */
    public Throwable failure() {
        return failure;
    }

    private void run() {
        try {
            consumer.subscribe(topics, new Rebalance());
            while (!closing.get()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(lanes.isEmpty() ? IDLE_POLL : BUSY_POLL);
                for (TopicPartition partition : records.partitions()) {
                    startLane(partition, records.records(partition));
                }
                finishLanes(lanes.values().stream().filter(PartitionLane::done).toList());
            }
        } catch (WakeupException e) {
            if (!closing.get()) {
                failure = e;
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("{} stopped by an unexpected error", name, e);
        } finally {
            shutdown();
        }
    }

    private void startLane(TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> records) {
        if (lanes.containsKey(partition)) {
            throw new IllegalStateException("records arrived for busy partition " + partition);
        }
        consumer.pause(Set.of(partition));
        lanes.put(partition, new PartitionLane(partition, records, context, handler));
    }

    /** Produces the finished lanes' output, flushes, commits; on a produce error replays them. */
    private void finishLanes(List<PartitionLane> finished) {
        if (finished.isEmpty()) {
            return;
        }
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (PartitionLane lane : finished) {
            lanes.remove(lane.partition);
            lane.output().forEach(output -> sends.add(producer.send(output)));
        }
        producer.flush();
        Throwable sendError = firstError(sends);
        if (sendError != null) {
            LOG.warn("{}: producing output failed ({}); replaying {} partition(s)", name, sendError.toString(),
                    finished.size());
            finished.forEach(lane -> consumer.seek(lane.partition, lane.firstOffset()));
        } else {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            finished.forEach(lane -> offsets.put(lane.partition, lane.nextOffset()));
            commit(offsets);
        }
        Set<TopicPartition> resume = new HashSet<>(consumer.assignment());
        finished.stream().map(lane -> lane.partition).filter(resume::contains).forEach(p -> consumer.resume(Set.of(p)));
    }
    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Set<TopicPartition> owned = consumer.assignment();
        offsets.keySet().retainAll(owned);
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
        } catch (WakeupException e) {
            // close() woke the consumer while we were committing: the wake-up is spent, commit once more.
            consumer.commitSync(offsets);
        } catch (CommitFailedException e) {
            LOG.warn("{}: commit failed after a rebalance; those records will be redelivered", name);
        }
    }

    private static Throwable firstError(List<Future<RecordMetadata>> sends) {
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get(0, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                return e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return e;
            } catch (java.util.concurrent.TimeoutException e) {
                return e;
            }
        }
        return null;
    }

    /** Waits for the lanes in flight (bounded), then produces and commits them. */
    private void drain() {
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        for (PartitionLane lane : List.copyOf(lanes.values())) {
            while (!lane.done() && System.nanoTime() < deadline) {
                lane.await(Duration.ofMillis(50));
            }
        }
        finishLanes(lanes.values().stream().filter(PartitionLane::done).toList());
        if (!lanes.isEmpty()) {
            LOG.warn("{}: {} partition(s) still in flight after the drain timeout {}; their records will be "
                    + "redelivered", name, lanes.size(), drainTimeout);
            lanes.clear();
        }
    }

    private void shutdown() {
        try {
            drain();
        } catch (RuntimeException e) {
            LOG.warn("{}: draining failed: {}", name, e.toString());
        }
        try {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        } catch (RuntimeException e) {
            LOG.debug("{}: consumer close: {}", name, e.toString());
        }
        subscribed.completeExceptionally(new IllegalStateException(name + " stopped"));
        stopped.countDown();
    }

    /** Stops polling, drains the records in flight within the drain timeout, commits, closes the consumer. */
    @Override
    public void close() {
        if (closing.compareAndSet(false, true)) {
            consumer.wakeup();
        }
        try {
            if (!stopped.await(drainTimeout.toMillis() + 10_000, TimeUnit.MILLISECONDS)) {
                LOG.warn("{} did not stop in time", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            drain();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            subscribed.complete(null);
        }
    }
}
