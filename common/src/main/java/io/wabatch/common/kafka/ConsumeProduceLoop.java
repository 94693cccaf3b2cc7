package io.wabatch.common.kafka;

import io.vertx.core.Context;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;

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

    // The parts, each with one job: PollThread runs the poll thread's turns, RecordIntake takes polled records
    // in within the window, Completions brings handled records and acknowledgements back and produces the
    // output, CommitSchedule commits, LoopRebalanceListener and PartitionDrain handle partitions coming and going,
    // LoopLifecycle holds start, close and failure. This class wires them and answers for them.

    private final Consumer<byte[], byte[]> consumer;
    private final Collection<String> topics;
    private final LoopOptions options;
    private final PartitionStates states = new PartitionStates();
    private final PendingRecords pending = new PendingRecords();
    private final Suspensions suspensions;
    private final LoopLifecycle lifecycle;
    private final PollThread pollThread;

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
        this.consumer = consumer;
        this.topics = List.copyOf(topics);
        this.options = options;
        this.suspensions = new Suspensions(name);
        Committer committer = options.transactional() ? new TransactionCommitter(name, consumer, producer, states)
                : new ConsumerCommitter(name, consumer, states);
        this.lifecycle = new LoopLifecycle(name, committer);
        Completions completions = new Completions(producer, states, committer, options.transactional(),
                lifecycle::fail, lifecycle::failed);
        RecordIntake intake = new RecordIntake(name, consumer, states, pending, new InFlightWindow(options.window()),
                suspensions, new RecordDispatcher(context, handler, completions::add));
        CommitSchedule commits = new CommitSchedule(committer, states, options.commitInterval(), lifecycle);
        PartitionDrain drain = new PartitionDrain(name, states, pending, completions, commits,
                options.drainTimeout(), lifecycle);
        LoopRebalanceListener rebalance = new LoopRebalanceListener(name, consumer, states, suspensions, drain,
                handler, options.transactional(), lifecycle);
        this.pollThread = new PollThread(name, consumer, this.topics, rebalance, intake, completions, commits, drain,
                lifecycle);
    }

    /** Starts the loop on its own thread. */
    public void start() {
        lifecycle.start(pollThread);
    }

    /** Completes once the consumer has joined the group and received its first assignment. */
    public CompletableFuture<Void> assigned() {
        return lifecycle.assigned();
    }

    /**
     * Completes when the loop thread has ended: normally after {@link #close()}, exceptionally with
     * the error that stopped it. A worker process exits when this completes unexpectedly.
     */
    public CompletableFuture<Void> terminated() {
        return lifecycle.terminated();
    }

    /**
     * Whether the consumer is a member of its group right now: it has received an assignment (possibly of
     * no partition) and neither lost it nor stopped since. Thread-safe, for a readiness probe.
     */
    public boolean member() {
        return lifecycle.member();
    }

    /** The topics the loop consumes. */
    public Collection<String> topics() {
        return topics;
    }

    /**
     * The consumer's own metrics, as {@link ConsumerMetrics} reads them: Kafka keeps them in a concurrent
     * registry, so any thread may read them while the loop polls.
     */
    public Map<MetricName, ? extends Metric> consumerMetrics() {
        return consumer.metrics();
    }

    /** The error that stopped the loop, if any. */
    public Throwable failure() {
        return lifecycle.failure();
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

    /** Stops polling, drains the records in flight within the drain timeout, commits, closes the consumer. */
    @Override
    public void close() {
        lifecycle.close(consumer, options.drainTimeout());
    }
}
