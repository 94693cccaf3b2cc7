package io.wabatch.common.kafka;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * The package-private {@link OffsetTracker} made reachable for the JMH benchmark
 * {@code io.wabatch.ops.bench.jmh.OffsetTrackerBenchmark}. It lives in the ops module, in the
 * tracker's package, so that common's API does not grow for a benchmark. Not for production code.
 */
public final class OffsetTrackerProbe {

    /** The longest commit metadata wabatch writes (the broker's default {@code offset.metadata.max.bytes}). */
    public static final int MAX_METADATA_LENGTH = DoneOffsets.MAX_LENGTH;

    private final OffsetTracker tracker = new OffsetTracker();

    /** See {@link OffsetTracker#poll}. */
    public boolean poll(long offset) {
        return tracker.poll(offset);
    }

    /** See {@link OffsetTracker#start}. */
    public void start(long offset) {
        tracker.start(offset);
    }

    /** See {@link OffsetTracker#ack}. */
    public void ack(long offset) {
        tracker.ack(offset);
    }

    /** See {@link OffsetTracker#ackWithin}. */
    public boolean ackWithin(long offset, int maxLength) {
        return tracker.ackWithin(offset, maxLength);
    }

    /** See {@link OffsetTracker#commitOffset}. */
    public long commitOffset() {
        return tracker.commitOffset();
    }

    /** See {@link OffsetTracker#commitDue}. */
    public OffsetAndMetadata commitDue(boolean truncate) {
        return tracker.commitDue(truncate);
    }

    /** See {@link OffsetTracker#inFlight}. */
    public int inFlight() {
        return tracker.inFlight();
    }
}
