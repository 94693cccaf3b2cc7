package io.wabatch.common.kafka;

import io.vertx.core.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
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
 * producer's sends; records are processed on a Vert.x context, partitions in parallel and each
 * partition in order ({@link PartitionBatch}). While a batch is processed its partitions are
 * paused and polling continues, so the group never sees this member as dead. When the batch is
 * done its output is produced, the producer flushed, and only then are the offsets committed:
 * a crash between the two replays the batch, never skips it.
 *
 * <p>On revocation the owner finishes the batch in flight (bounded by the drain timeout) and
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
    private final PartitionBatch.Factory batches;
    private final Duration drainTimeout;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CompletableFuture<Void> subscribed = new CompletableFuture<>();
    private volatile Throwable failure;
    private PartitionBatch batch;
    private Thread thread;

    public ConsumeProduceLoop(String name, Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer,
                              Collection<String> topics, Context context, RecordHandler handler, Duration drainTimeout) {
        this.name = name;
        this.consumer = consumer;
        this.producer = producer;
        this.topics = List.copyOf(topics);
        this.batches = records -> new PartitionBatch(records, context, handler);
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

    /** True while the loop thread runs. */
    public boolean running() {
        return stopped.getCount() > 0 && thread != null;
    }

    private void run() {
        try {
            consumer.subscribe(topics, new Rebalance());
            while (!closing.get()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(batch == null ? IDLE_POLL : BUSY_POLL);
                if (!records.isEmpty()) {
                    startBatch(records);
                }
                if (batch != null && batch.done()) {
                    finishBatch();
                }
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

    private void startBatch(ConsumerRecords<byte[], byte[]> records) {
        if (batch != null) {
            throw new IllegalStateException("records arrived for a paused assignment: " + records.partitions());
        }
        consumer.pause(consumer.assignment());
        batch = batches.start(records);
    }

    /** Produces the finished batch's output, flushes, commits; on a produce error replays the batch. */
    private void finishBatch() {
        PartitionBatch finished = batch;
        batch = null;
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> output : finished.output()) {
            sends.add(producer.send(output));
        }
        producer.flush();
        Throwable sendError = firstError(sends);
        if (sendError != null) {
            LOG.warn("{}: producing a batch's output failed ({}); replaying it", name, sendError.toString());
            finished.firstOffsets().forEach(consumer::seek);
        } else {
            commit(finished.nextOffsets());
        }
        consumer.resume(consumer.assignment());
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
            LOG.warn("{}: commit failed after a rebalance; the batch will be redelivered", name);
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

    /** Waits for the batch in flight (bounded), then produces and commits it. */
    private void drain() {
        if (batch == null) {
            return;
        }
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (!batch.done() && System.nanoTime() < deadline) {
            batch.await(Duration.ofMillis(50));
        }
        if (batch.done()) {
            finishBatch();
        } else {
            LOG.warn("{}: batch still in flight after the drain timeout {}; its records will be redelivered", name,
                    drainTimeout);
            batch = null;
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

    /** Stops polling, drains the batch in flight within the drain timeout, commits, closes the consumer. */
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
            if (batch != null) {
                consumer.pause(new HashSet<>(partitions));
            }
            subscribed.complete(null);
        }
    }
}
