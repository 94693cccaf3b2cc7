package io.wabatch.ops.bench.jmh;

import io.wabatch.common.kafka.OffsetTracker;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The consume loop's offset tracking ({@code OffsetTracker}): hot because the poll thread notes
 * every record polled, started and done, and computes the offset to commit, with the whole window
 * in flight. {@link #inFlight} records are in flight (the sender's default window is 512) and
 * finish in random order, as sends of varying latency do: each invocation finishes a random record
 * in flight, polls and starts the next offset in its place, and reads the commit offset. A record
 * stays in flight for {@link #inFlight} invocations on average, so done records pile up above the
 * oldest one as they do behind a slow send.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class OffsetTrackerBenchmark {

    private static final int ORDER = 1 << 16;

    /** Records in flight. */
    @Param("512")
    public int inFlight;

    private int[] order;
    private int step;
    private Window atLeastOnce;
    private Window transactional;
    private Window settled;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        order = random.ints(ORDER, 0, inFlight).toArray();
        atLeastOnce = new Window(inFlight);
        transactional = new Window(inFlight);
        settled = new Window(inFlight);
        for (int i = 0; i < 50 * inFlight; i++) {
            int slot = nextSlot();
            settled.tracker.ack(settled.slots[slot]);
            settled.refill(slot);
        }
    }

    @TearDown(Level.Iteration)
    public void checkWindow() {
        for (Window window : new Window[] {atLeastOnce, transactional, settled}) {
            if (window.tracker.inFlight() != inFlight) {
                throw new IllegalStateException(window.tracker.inFlight() + " records in flight, expected " + inFlight);
            }
        }
    }

    /** At least once (the sender): a record done out of order, the next one started, the commit offset read. */
    @Benchmark
    public long ackOutOfOrder() {
        int slot = nextSlot();
        atLeastOnce.tracker.ack(atLeastOnce.slots[slot]);
        atLeastOnce.refill(slot);
        return atLeastOnce.tracker.commitOffset();
    }

    /**
     * Transactional (the upload worker): the same, acknowledged only if the done set still fits the
     * commit metadata; a record that does not fit stays in flight, as in the loop.
     */
    @Benchmark
    public long ackWithinOutOfOrder() {
        int slot = nextSlot();
        if (transactional.tracker.ackWithin(transactional.slots[slot], OffsetTracker.MAX_METADATA_LENGTH)) {
            transactional.refill(slot);
        }
        return transactional.tracker.commitOffset();
    }

    /** A commit: the offset and the done set above it as metadata, once per commit interval (200 ms). */
    @Benchmark
    public OffsetAndMetadata commitDue() {
        return settled.tracker.commitDue(true);
    }

    private int nextSlot() {
        return order[step++ & (ORDER - 1)];
    }

    /** One partition's tracker with a full window, and the offset in flight in each slot. */
    private static final class Window {

        final OffsetTracker tracker = new OffsetTracker();
        final long[] slots;
        long nextOffset;

        Window(int size) {
            slots = new long[size];
            for (int i = 0; i < size; i++) {
                refill(i);
            }
        }

        /** Polls and starts the next offset in {@code slot}, whose record is done. */
        void refill(int slot) {
            long offset = nextOffset++;
            tracker.poll(offset);
            tracker.start(offset);
            slots[slot] = offset;
        }
    }
}
