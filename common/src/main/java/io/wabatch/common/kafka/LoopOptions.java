package io.wabatch.common.kafka;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of a {@link ConsumeProduceLoop}.
 *
 * @param window         the most records in flight at once across all partitions not
 *                       {@linkplain ConsumeProduceLoop#suspend suspended} (started and not yet done, see
 *                       {@link ConsumeProduceLoop#inWindow()}): no record starts while that many are. The
 *                       records in flight of suspended partitions, waiting for their resume, come on top
 *                       and count again once resumed. Records a poll returns are always accepted; those
 *                       beyond the window wait in memory, and a partition with {@code window} records
 *                       waiting is paused until half of them have started, so at most
 *                       {@code window + max.poll.records - 1} records wait per partition.
 * @param drainTimeout   how long revocation and shutdown wait for records in flight and their output's
 *                       acknowledgements before giving the records up (they are redelivered). Keep it
 *                       below the consumer's {@code max.poll.interval.ms}: the poll thread waits.
 * @param commitInterval how often the committable offsets are committed while running; also committed
 *                       on revocation and shutdown, and while draining. Shorter means fewer redeliveries after
 *                       a crash and more commit requests; in the transactional mode, also output visible sooner
 *                       to {@code read_committed} consumers and more, smaller transactions.
 * @param transactional  whether consume → produce runs in Kafka transactions, exactly once for consumers of the
 *                       output that read committed: a record's output and its offset (or its place in the done
 *                       set) are committed together or not at all. The producer must have a
 *                       {@code transactional.id} and be used by the loop only (it calls
 *                       {@code initTransactions()} at start, which fences a predecessor with the same id); its
 *                       {@code transaction.timeout.ms} must exceed the commit interval by far. Any failure stops
 *                       the loop, see {@link ConsumeProduceLoop}.
 */
public record LoopOptions(int window, Duration drainTimeout, Duration commitInterval, boolean transactional) {

    /** The default window: 256 records, enough for ~2,500 msg/s at 100 ms per record. */
    public static final int DEFAULT_WINDOW = 256;
    /** The default commit interval: 200 ms. */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(200);

    /** Options of a loop that is not transactional (at least once). */
    public LoopOptions(int window, Duration drainTimeout, Duration commitInterval) {
        this(window, drainTimeout, commitInterval, false);
    }

    /** @throws IllegalArgumentException when a value is out of range */
    public LoopOptions {
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(commitInterval, "commitInterval");
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1 record, got " + window);
        }
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drainTimeout must not be negative, got " + drainTimeout);
        }
        if (commitInterval.isNegative() || commitInterval.isZero()) {
            throw new IllegalArgumentException("commitInterval must be positive, got " + commitInterval);
        }
    }

    /** The default window and commit interval with the given drain timeout. */
    public static LoopOptions withDrainTimeout(Duration drainTimeout) {
        return new LoopOptions(DEFAULT_WINDOW, drainTimeout, DEFAULT_COMMIT_INTERVAL);
    }

    /** These options with another window. */
    public LoopOptions withWindow(int records) {
        return new LoopOptions(records, drainTimeout, commitInterval, transactional);
    }

    /** These options with another commit interval. */
    public LoopOptions withCommitInterval(Duration interval) {
        return new LoopOptions(window, drainTimeout, interval, transactional);
    }

    /** These options in the transactional mode (or not). */
    public LoopOptions withTransactions(boolean on) {
        return new LoopOptions(window, drainTimeout, commitInterval, on);
    }
}
