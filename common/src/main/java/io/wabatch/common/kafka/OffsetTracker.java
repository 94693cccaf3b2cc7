package io.wabatch.common.kafka;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One partition's records between start and acknowledgement, and the offset that may be committed:
 * one past the longest run of acknowledged records from the oldest one started. Offsets need not be
 * contiguous (compaction, transaction markers): a record is "next" when it was started next. Not
 * thread-safe: owned by the poll thread.
 */
final class OffsetTracker {

    /** Started records not yet below the committable offset, in offset order, each with "acked". */
    private final LinkedHashMap<Long, Boolean> pending = new LinkedHashMap<>();
    private long lastStarted = -1;
    private long committable = -1;
    private long committed = -1;
    private int inFlight;

    /** Records a started record; offsets must increase. */
    void start(long offset) {
        if (offset <= lastStarted) {
            throw new IllegalStateException("offset " + offset + " started after " + lastStarted);
        }
        pending.put(offset, Boolean.FALSE);
        lastStarted = offset;
        inFlight++;
    }

    /** Records that a started record is done and its output acknowledged. */
    void ack(long offset) {
        Boolean acked = pending.get(offset);
        if (acked == null || acked) {
            throw new IllegalStateException("offset " + offset + " acknowledged but not in flight");
        }
        pending.put(offset, Boolean.TRUE);
        inFlight--;
        advance();
    }

    private void advance() {
        Iterator<Map.Entry<Long, Boolean>> head = pending.entrySet().iterator();
        while (head.hasNext()) {
            Map.Entry<Long, Boolean> entry = head.next();
            if (!entry.getValue()) {
                return;
            }
            committable = entry.getKey() + 1;
            head.remove();
        }
    }

    /** Records started and not yet acknowledged. */
    int inFlight() {
        return inFlight;
    }

    /** One past the contiguous acknowledged prefix, or -1 before the first record is acknowledged. */
    long committable() {
        return committable;
    }

    /** The committable offset if it moved since {@link #committed}, else -1. */
    long commitDue() {
        return committable > committed ? committable : -1;
    }

    /** Notes that {@code offset} was committed. */
    void committed(long offset) {
        committed = Math.max(committed, offset);
    }
}
