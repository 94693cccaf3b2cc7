package io.wabatch.common.kafka;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * One partition's polled records from the lowest one not done, and what to commit for them: the offset of
 * that record and, as {@linkplain DoneOffsets metadata}, the records above it that are done. Records are
 * polled in offset order, then started and acknowledged (done) in any order. Offsets need not be contiguous
 * (compaction, transaction markers): the consumer returns every record from the committed offset on, so an
 * offset between two polled records is none. Such gaps count as done between two done records, else as
 * not done, so they never add runs to the metadata.
 *
 * <p>A tracker {@linkplain #restore restored} from a commit with a done set skips those records when they
 * are polled again: they count as done, are not started, and the committed offset moves past them. Not
 * thread-safe: owned by the poll thread. Public for the JMH benchmark in ops, which measures it alone.
 */
public final class OffsetTracker {

    /** The longest commit metadata wabatch writes (the broker's default {@code offset.metadata.max.bytes}). */
    public static final int MAX_METADATA_LENGTH = DoneOffsets.MAX_LENGTH;

    /**
     * How much longer one more done record can make the metadata: it splits a run of records not done into
     * three, of at most 13 base-36 digits each, with two more commas.
     */
    static final int MAX_GROWTH = 2 * 13 + 2;

    private enum State { WAITING, IN_FLIGHT, DONE }

    /** Polled records from the lowest one not done on, in offset order; the first is never done. */
    private final LinkedHashMap<Long, State> records = new LinkedHashMap<>();
    /** Done per the commit this tracker was restored from, above every record polled so far. */
    private final ArrayDeque<OffsetRange> restored = new ArrayDeque<>();
    private long lastPolled = -1;
    private long committable = -1;
    private long committedOffset = -1;
    private String committedMetadata = "";
    private int inFlight;
    /** At least the length of the metadata of the current state (see {@link #ackWithin}). */
    private int lengthBound;

    /** Starts from the partition's committed offset and the done records its metadata names. */
    void restore(long committed, String metadata, List<OffsetRange> done) {
        if (lastPolled >= 0) {
            throw new IllegalStateException("restored after offset " + lastPolled + " was polled");
        }
        committable = committed;
        committedOffset = committed;
        committedMetadata = metadata;
        lengthBound = metadata.length();
        done.stream().filter(range -> range.to() > committed).forEach(restored::add);
        advance();
    }

    /**
     * Records a polled record; offsets must increase.
     *
     * @return whether to start it: false when it was done before (restored), and then it counts as done
     */
    public boolean poll(long offset) {
        if (offset <= lastPolled) {
            throw new IllegalStateException("offset " + offset + " polled after " + lastPolled);
        }
        lastPolled = offset;
        if (offset < committable) {
            return false;
        }
        while (!restored.isEmpty() && restored.peekFirst().to() <= offset) {
            restored.pollFirst();
        }
        OffsetRange first = restored.peekFirst();
        if (first == null || !first.contains(offset)) {
            records.put(offset, State.WAITING);
            return true;
        }
        restored.pollFirst();
        if (offset + 1 < first.to()) {
            restored.addFirst(new OffsetRange(offset + 1, first.to()));
        }
        records.put(offset, State.DONE);
        lengthBound += MAX_GROWTH;
        advance();
        return false;
    }

    /** Records that a polled record started; a record not polled counts as polled now. */
    public void start(long offset) {
        State state = records.get(offset);
        if (state == null && offset > lastPolled) {
            lastPolled = offset;
        } else if (state != State.WAITING) {
            throw new IllegalStateException("offset " + offset + " started but not waiting");
        }
        records.put(offset, State.IN_FLIGHT);
        inFlight++;
    }

    /** Records that a started record is done. */
    public void ack(long offset) {
        boolean head = checkInFlight(offset);
        done(offset);
        if (!head) {
            lengthBound += MAX_GROWTH;
        }
    }

    /**
     * Records that a started record is done if the metadata stays within {@code maxLength} characters with
     * it; else changes nothing. The lowest record not done always fits, since it only shortens the metadata.
     * Cheap unless the metadata comes close to {@code maxLength}.
     */
    public boolean ackWithin(long offset, int maxLength) {
        boolean head = checkInFlight(offset);
        if (head || lengthBound + MAX_GROWTH <= maxLength) {
            ack(offset);
            return true;
        }
        records.put(offset, State.DONE);
        int length = DoneOffsets.encode(commitOffset(), done()).length();
        if (length > maxLength) {
            records.put(offset, State.IN_FLIGHT);
            return false;
        }
        lengthBound = length;
        done(offset);
        return true;
    }

    private boolean checkInFlight(long offset) {
        if (records.get(offset) != State.IN_FLIGHT) {
            throw new IllegalStateException("offset " + offset + " acknowledged but not in flight");
        }
        return offset == lowest();
    }

    private void done(long offset) {
        records.put(offset, State.DONE);
        inFlight--;
        advance();
    }

    private void advance() {
        Iterator<Map.Entry<Long, State>> head = records.entrySet().iterator();
        while (head.hasNext()) {
            Map.Entry<Long, State> entry = head.next();
            if (entry.getValue() != State.DONE) {
                return;
            }
            committable = entry.getKey() + 1;
            head.remove();
        }
        // Every record polled is done: done records not polled yet may follow at once.
        while (!restored.isEmpty() && committable >= 0 && restored.peekFirst().from() <= committable) {
            committable = Math.max(committable, restored.pollFirst().to());
        }
    }

    /** Records started and not yet done. */
    public int inFlight() {
        return inFlight;
    }

    /** The lowest record polled and not done, or -1. */
    long lowest() {
        return records.isEmpty() ? -1 : records.keySet().iterator().next();
    }

    /** One past the records known done from the lowest on, or -1 before any is. */
    long committable() {
        return committable;
    }

    /** The offset to commit: the lowest record not done, or past every record done; -1 while nothing is done. */
    public long commitOffset() {
        if (records.isEmpty()) {
            return committable;
        }
        return committable >= 0 || records.containsValue(State.DONE) ? lowest() : -1;
    }

    /** The done ranges above {@link #commitOffset()}, gaps between done records included. */
    List<OffsetRange> done() {
        List<OffsetRange> done = new ArrayList<>();
        State previous = null;
        for (Map.Entry<Long, State> entry : records.entrySet()) {
            if (entry.getValue() == State.DONE) {
                long offset = entry.getKey();
                if (previous == State.DONE) {
                    done.set(done.size() - 1, new OffsetRange(done.get(done.size() - 1).from(), offset + 1));
                } else {
                    done.add(new OffsetRange(offset, offset + 1));
                }
            }
            previous = entry.getValue();
        }
        for (OffsetRange range : restored) {
            OffsetRange last = done.isEmpty() ? null : done.get(done.size() - 1);
            if (last != null && last.to() == range.from()) {
                done.set(done.size() - 1, new OffsetRange(last.from(), range.to()));
            } else {
                done.add(range);
            }
        }
        return done;
    }

    /**
     * The offset and done set to commit, if either changed since the last commit; else null.
     *
     * @param truncate whether metadata longer than {@link DoneOffsets#MAX_LENGTH} may lose its highest done
     *                 records; if not, such metadata is an {@link IllegalStateException}
     */
    public OffsetAndMetadata commitDue(boolean truncate) {
        long offset = commitOffset();
        if (offset < 0 || offset < committedOffset) {
            return null;
        }
        String metadata = DoneOffsets.encode(offset, done(), truncate ? DoneOffsets.MAX_LENGTH : Integer.MAX_VALUE);
        if (metadata.length() > DoneOffsets.MAX_LENGTH) {
            throw new IllegalStateException("done offsets above " + offset + " too long to commit: "
                    + metadata.length() + " characters");
        }
        if (!truncate) {
            lengthBound = metadata.length();
        }
        if (offset == committedOffset && metadata.equals(committedMetadata)) {
            return null;
        }
        return new OffsetAndMetadata(offset, metadata);
    }

    /** Notes a commit. */
    void committed(OffsetAndMetadata commit) {
        if (commit.offset() >= committedOffset) {
            committedOffset = commit.offset();
            committedMetadata = commit.metadata();
        }
    }
}
