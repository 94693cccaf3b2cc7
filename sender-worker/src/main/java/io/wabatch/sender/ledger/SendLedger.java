package io.wabatch.sender.ledger;

import io.vertx.core.Future;
import io.wabatch.common.contract.ReadyJob;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The send ledger (DESIGN decision 8): before each API call the sender writes an
 * {@link LedgerEntry.State#ATTEMPT} and waits for its acknowledgement; the call's outcome follows
 * with the job's result. Both go to {@code wa.send-ledger}, co-partitioned with the ready topic, so
 * the owner of a channel's partition finds its history in the same partition number.
 *
 * <p>When a partition is assigned, its ledger is rebuilt ({@link LedgerRebuild}) from the records of
 * the last {@code horizon} before any of its jobs is handled. A redelivered job (a crash or a
 * rebalance between the send and the offset commit, a relay that passed a deferred job on twice) is
 * then recognised: accepted or otherwise finished before → suppressed; attempted without an outcome
 * → in doubt. The horizon must cover the oldest job that can be redelivered: redelivery starts at the
 * committed offset, which trails the work by the commit interval and the longest call, so minutes are
 * plenty.
 *
 * <p>Attempts and notes go out batched per turn of the caller's event loop ({@link LedgerWriter}),
 * from a thread of the ledger's own. Outcomes go out with the results, from the loop's thread, so a
 * job's records can reach the topic out of order; a generation once finished stays finished
 * ({@link PartitionIndex}). What was sent is known from memory ({@link SentIndex}).
 *
 * <p>Threading: every method may be called from the sender's event loop and none blocks; the
 * futures complete on the caller's Vert.x context. Errors: {@link #attempt} fails when the entry
 * cannot be written (then the call must not be made); everything else does not fail.
 */
public final class SendLedger implements AutoCloseable {

    private final String topic;
    private final Function<String, Integer> partitionOf;
    private final Clock clock;
    private final SentIndex index;
    private final LedgerWriter writer;
    private final LedgerRebuild rebuild;

    /**
     * @param partitionOf the partition of a channel (the registry's)
     * @param consumers   a new consumer for each rebuild (no group needed; closed after use)
     */
    public SendLedger(String topic, Producer<byte[], byte[]> producer, Function<String, Integer> partitionOf,
                      Supplier<Consumer<byte[], byte[]>> consumers, Duration horizon, Clock clock) {
        this.topic = topic;
        this.partitionOf = partitionOf;
        this.clock = clock;
        this.index = new SentIndex(horizon, clock);
        this.writer = new LedgerWriter(topic, producer);
        this.rebuild = new LedgerRebuild(topic, consumers, horizon, clock, index);
    }

    /** The partition is now this sender's: its ledger is rebuilt before its jobs are handled ({@link #ready}). */
    public void assigned(int partition) {
        index.forget(partition);
        rebuild.start(partition);
    }

    /** The partition is no longer this sender's. */
    public void revoked(int partition) {
        rebuild.stop(partition);
        index.forget(partition);
    }

    /** Completes, on the caller's context, when the partition's ledger has been rebuilt. */
    public Future<Void> ready(int partition) {
        return rebuild.ready(partition);
    }

    /** What the ledger knows of this generation of the job, or null. */
    public LedgerEntry.State state(ReadyJob job) {
        return index.state(partitionOf.apply(job.channel()), job);
    }

    /**
     * Writes that call {@code attempt} is about to be made; completes, on the caller's Vert.x context,
     * once the broker acknowledged it. Fails when it cannot be written: then the call must not be made.
     */
    public Future<Void> attempt(ReadyJob job, int attempt) {
        int partition = partitionOf.apply(job.channel());
        index.remember(partition, job, LedgerEntry.State.ATTEMPT);
        return writer.write(partition, entry(job, LedgerEntry.State.ATTEMPT, attempt, null));
    }

    /**
     * Notes a state that needs no acknowledgement before going on (the API proved a call was not
     * processed): if it is lost in a crash, the job merely looks in doubt, the safe side.
     */
    public void note(ReadyJob job, LedgerEntry.State state, int attempt) {
        int partition = partitionOf.apply(job.channel());
        index.remember(partition, job, state);
        writer.note(partition, entry(job, state, attempt, null));
    }

    /**
     * The ledger record of a job's outcome, to produce with its result (before the offset commit),
     * and remembered at once.
     */
    public ProducerRecord<byte[], byte[]> outcome(ReadyJob job, LedgerEntry.State state, int attempt, String wamid) {
        index.remember(partitionOf.apply(job.channel()), job, state);
        return new ProducerRecord<>(topic, job.key().getBytes(StandardCharsets.UTF_8),
                entry(job, state, attempt, wamid).encode());
    }

    /** Jobs remembered, all partitions (for a gauge). */
    public int size() {
        return index.size();
    }

    @Override
    public void close() {
        rebuild.close();
        writer.close();
    }

    private LedgerEntry entry(ReadyJob job, LedgerEntry.State state, int attempt, String wamid) {
        return new LedgerEntry(job.jobId(), job.generation(), state, attempt, wamid, clock.instant());
    }
}
