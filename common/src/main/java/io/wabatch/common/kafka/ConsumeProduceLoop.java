package io.wabatch.common.kafka;

import io.vertx.core.Context;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consume → handle → produce → commit without head-of-line blocking: at least once, or exactly once for
 * consumers of the output that read committed, in the {@linkplain LoopOptions#transactional transactional
 * mode}.
 *
 * <p>One thread (named after the loop) owns the consumer: it polls, starts records, produces their
 * output and commits. Records are handled on a Vert.x context, many of a partition at once; records
 * that share an {@linkplain RecordHandler#orderingKeys ordering key} are handled, and their output
 * produced, in offset order. A record is done when its handler finished and every one of its output
 * records is acknowledged; a partition's offset is committed (every {@link LoopOptions#commitInterval})
 * only up to its lowest record not yet done, so a crash replays records, never skips them. The commit's
 * metadata names the records above that offset that are done ({@link DoneOffsets}); whoever is assigned the
 * partition next, this loop or another member, reads it and skips them (they count as done, without
 * output), so a crash or rebalance redelivers only the records not done. A done set too long for the
 * broker's metadata limit loses its highest offsets: those records are redelivered too.
 *
 * <p>At most {@link LoopOptions#window} records of partitions not suspended are in flight. Polled records
 * beyond that wait, per partition, and each free slot goes to the partition with the fewest records in
 * flight, so a partition with a backlog or slow records never holds the window against the others. A
 * partition with a window's worth of records waiting is paused; polling continues, so the group keeps
 * this member.
 *
 * <p>A partition whose records cannot progress for a while (the sender's channel is paused, and its
 * records wait in the handler) can be {@linkplain #suspend suspended}: it is no longer fetched, its polled
 * records wait in order without starting, and its records in flight stop counting against the window, so
 * the other partitions share all of it. Its offset is still committed only below its lowest record not
 * done. {@link #resume} undoes it.
 *
 * <p>On revocation the records in flight of the revoked partitions are finished and committed (waiting
 * at most {@link LoopOptions#drainTimeout}; later ones are dropped and redelivered to the new owner).
 * {@link #close()} does the same for every partition. A send that fails after the producer's own
 * retries stops the loop ({@link #failure()}); what was not committed is redelivered after a restart.
 *
 * <p>In the transactional mode the loop calls {@code initTransactions()} at start (fencing a predecessor with
 * the same {@code transactional.id} and aborting its open transaction) and keeps one transaction open: outputs
 * join it as their records are handled, and a record is done once its output is handed to the producer. Every
 * commit interval, on revocation (also while draining) and on close it flushes, adds the offsets and done sets
 * of all assigned partitions ({@code sendOffsetsToTransaction} with the consumer's group metadata) and commits
 * the transaction. A record's output is thus committed exactly when the record is below its committed offset
 * or in its committed done set; the done set is never truncated: a handled record whose done set would not fit
 * the metadata waits, in flight, until the records below it are done (the lowest always fits). Any failure
 * (fenced, a commit refused after a rebalance, a failed send, a timeout, lost partitions) stops the loop
 * after aborting the open transaction if the producer still can: nothing uncommitted ever becomes visible to
 * {@code read_committed} consumers, and the records are handled again after a restart. An instance that dies
 * leaves its transaction open until its successor with the same {@code transactional.id} starts, or for
 * {@code transaction.timeout.ms}: {@code read_committed} consumers of the output wait that long.
 */
public final class ConsumeProduceLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumeProduceLoop.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(100);
    private static final Duration BUSY_POLL = Duration.ofMillis(5);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private final Consumer<byte[], byte[]> consumer;
    private final Collection<String> topics;
    private final LoopOptions options;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final CompletableFuture<Void> subscribed = new CompletableFuture<>();
    private final PartitionStates states = new PartitionStates();
    private final PendingRecords pending = new PendingRecords();
    private final InFlightWindow window;
    private final RecordHandler handler;
    private final RecordDispatcher dispatcher;
    private final Completions completions;
    private final Committer committer;
    private final Suspensions suspensions;
    private final DoneRestorer restorer;
    private volatile Throwable failure;
    private volatile Thread thread;
    private volatile boolean member;
    private long nextCommit;

    /**
     * A loop with the {@linkplain LoopOptions#withDrainTimeout default window} of
     * {@value LoopOptions#DEFAULT_WINDOW} records and the default commit interval.
     */
    public ConsumeProduceLoop(String name, Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer,
                              Collection<String> topics, Context context, RecordHandler handler, Duration drainTimeout) {
        this(name, consumer, producer, topics, context, handler, LoopOptions.withDrainTimeout(drainTimeout));
    }

    /**
     * A loop; nothing happens until {@link #start()}.
     *
     * @param consumer owned by the loop from now on (closed by it); must not auto-commit; should read committed
     *                 (then it waits for an open transaction's offsets to be committed or aborted on assignment)
     * @param producer used for the output, not closed by the loop; in the transactional mode it needs a
     *                 {@code transactional.id} and must not be used by anyone else
     * @param context  where {@code handler} runs
     */
    public ConsumeProduceLoop(String name, Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer,
                              Collection<String> topics, Context context, RecordHandler handler, LoopOptions options) {
        this.name = name;
        this.consumer = consumer;
        this.topics = List.copyOf(topics);
        this.options = options;
        this.window = new InFlightWindow(options.window());
        this.committer = options.transactional() ? new TransactionCommitter(name, consumer, producer, states)
                : new ConsumerCommitter(name, consumer, states);
        this.completions = new Completions(producer, states, committer, options.transactional(), this::fail);
        this.handler = handler;
        this.dispatcher = new RecordDispatcher(context, handler, completions::add);
        this.suspensions = new Suspensions(name);
        this.restorer = new DoneRestorer(name, consumer, states);
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

    /**
     * Completes when the loop thread has ended: normally after {@link #close()}, exceptionally with
     * the error that stopped it. A worker process exits when this completes unexpectedly.
     */
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    /**
     * Whether the consumer is a member of its group right now: it has received an assignment (possibly of
     * no partition) and neither lost it nor stopped since. Thread-safe, for a readiness probe.
     */
    public boolean member() {
        return member;
    }

    /** The topics the loop consumes. */
    public Collection<String> topics() {
        return topics;
    }

    /**
     * The consumer's own metrics, as {@link ConsumerMetrics} reads them: Kafka keeps them in a concurrent
     * registry, so any thread may read them while the loop polls.
     */
    public java.util.Map<org.apache.kafka.common.MetricName, ? extends org.apache.kafka.common.Metric> consumerMetrics() {
        return consumer.metrics();
    }

    /** The error that stopped the loop, if any. */
    public Throwable failure() {
        return failure;
    }

    /**
     * Stops fetching and starting records of {@code partition}; its records in flight, waiting for it to be
     * resumed, stop counting against the window. Its polled records stay queued in order, nothing is lost,
     * reordered or started twice, and its offset is committed only below its lowest record not done, as
     * always. If the partition is revoked meanwhile, its records in flight are drained like any others,
     * within the drain timeout, and redelivered to the new owner if not done by then.
     *
     * <p>Any thread, at any time, also before {@link #start()} and for a partition not assigned (yet): the
     * poll thread applies it after its current poll (typically within 100 ms), to this and every later
     * assignment of the partition, until {@link #resume}. Idempotent.
     */
    public void suspend(TopicPartition partition) {
        suspensions.suspend(partition);
    }

    /**
     * Undoes {@link #suspend}: the partition's records in flight count against the window again (so the
     * window may be overfull for a while, and nothing starts until it is not), and its records are started
     * and fetched again. Any thread, applied like {@code suspend}. Idempotent.
     */
    public void resume(TopicPartition partition) {
        suspensions.resume(partition);
    }

    /**
     * Records started and not yet done (handled and their output acknowledged), of every partition,
     * suspended ones included. Thread-safe, for a gauge.
     */
    public int inFlight() {
        return states.inFlight();
    }

    /**
     * Records in flight that hold window slots: {@link #inFlight()} less those of suspended partitions.
     * At most the window, except after a resume until enough records are done. Thread-safe, for a gauge.
     */
    public int inWindow() {
        return states.inWindow();
    }

    /** Records polled and waiting for a slot in the window (for tests). Thread-safe. */
    int pending() {
        return pending.size();
    }

    private void run() {
        try {
            // Transactional: fences a predecessor with the same transactional.id, aborting its open transaction.
            committer.start();
            nextCommit = System.nanoTime();
            consumer.subscribe(topics, new Rebalance());
            while (!closing.get() && failure == null) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout());
                // After the poll, so that no record of a partition suspended during it starts.
                suspensions.applyTo(states);
                accept(records);
                completions.processAll();
                startRecords();
                window.update(consumer, pending::size, states::suspended);
                commitIfDue();
            }
        } catch (WakeupException e) {
            if (!closing.get()) {
                fail("woken up unexpectedly", e);
            }
        } catch (RuntimeException | Error e) {
            fail("stopped by an unexpected error", e);
        } finally {
            shutdown();
        }
    }

    private Duration pollTimeout() {
        if (!completions.isEmpty()) {
            return Duration.ZERO;
        }
        // Records of suspended partitions may wait for hours: no reason to spin for them.
        return states.inWindow() > 0 ? BUSY_POLL : IDLE_POLL;
    }

    private void accept(ConsumerRecords<byte[], byte[]> records) {
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

    private void startRecords() {
        int room = window.room(states.inWindow());
        if (room == 0 || pending.size() == 0) {
            return;
        }
        pending.take(room, states::inFlight, states::suspended).forEach((partition, records) -> {
            PartitionState state = states.get(partition);
            records.forEach(record -> states.started(state, record.offset()));
            dispatcher.dispatch(state, records);
        });
    }

    private void fail(String what, Throwable error) {
        if (failure == null) {
            failure = error;
            LOG.error("{} stopped: {}; records not committed will be redelivered", name, what, error);
            completions.stop();
            committer.abort();
        }
    }

    private void commitIfDue() {
        long now = System.nanoTime();
        if (now - nextCommit >= 0) {
            commit(states.partitions());
            nextCommit = now + options.commitInterval().toNanos();
        }
    }

    private void commit(Collection<TopicPartition> partitions) {
        try {
            committer.commit(partitions);
        } catch (KafkaException e) {
            fail("committing failed", e);
        }
    }

    /** Drains and commits the partitions, then forgets them. */
    private void release(Collection<TopicPartition> partitions) {
        pending.drop(partitions);
        long deadline = System.nanoTime() + options.drainTimeout().toNanos();
        if (!completions.awaitDone(partitions, deadline, () -> failure != null, this::commitIfDue) && failure == null) {
            LOG.warn("{}: {} record(s) still in flight after the drain timeout {}; they will be redelivered",
                    name, states.inFlight(partitions), options.drainTimeout());
        }
        commit(partitions);
        states.revoke(partitions);
    }

    private void shutdown() {
        member = false;
        try {
            release(states.partitions());
        } catch (RuntimeException e) {
            LOG.warn("{}: draining failed: {}", name, e.toString());
            pending.drop(states.partitions());
            states.revoke(states.partitions());
        }
        try {
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        } catch (RuntimeException e) {
            LOG.debug("{}: consumer close: {}", name, e.toString());
        }
        subscribed.completeExceptionally(new IllegalStateException(name + " stopped"));
        stopped.countDown();
        if (failure != null) {
            terminated.completeExceptionally(failure);
        } else {
            terminated.complete(null);
        }
    }

    /** Stops polling, drains the records in flight within the drain timeout, commits, closes the consumer. */
    @Override
    public void close() {
        if (closing.compareAndSet(false, true)) {
            if (thread == null) {
                consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
                stopped.countDown();
                return;
            }
            consumer.wakeup();
        }
        try {
            if (!stopped.await(options.drainTimeout().toMillis() + 10_000, TimeUnit.MILLISECONDS)) {
                LOG.warn("{} did not stop in time", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs inside {@code poll()} and {@code close()}, on the poll thread. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            release(partitions);
            handler.onRevoked(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (options.transactional()) {
                // Their output may be in the open transaction, which can no longer commit their offsets; aborting
                // it would also drop the output of records of other partitions that count as done.
                fail("lost " + partitions + " without a chance to commit", new IllegalStateException(
                        "partitions lost while their output may be in the open transaction"));
            } else {
                LOG.warn("{}: lost {} without a chance to commit; their records will be redelivered", name, partitions);
            }
            member = false;
            pending.drop(partitions);
            states.revoke(partitions);
            handler.onRevoked(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            restorer.restore(states.assign(partitions));
            suspensions.applyTo(states);
            // Before the first fetch: a partition suspended before its assignment is never fetched.
            consumer.pause(partitions.stream().filter(states::suspended).toList());
            handler.onAssigned(partitions);
            member = true;
            subscribed.complete(null);
        }
    }
}
