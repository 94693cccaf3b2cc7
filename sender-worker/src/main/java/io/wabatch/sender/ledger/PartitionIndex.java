package io.wabatch.sender.ledger;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * What the ledger knows of one partition's jobs: the latest state per (job, generation) key, in
 * insertion order, the oldest dropped once past the horizon. Thread-safe (every method synchronised):
 * the event loop reads and remembers while a rebuild fills a fresh index on its own thread.
 */
final class PartitionIndex {

    private static final LedgerEntry.State[] STATES = LedgerEntry.State.values();

    /** Key → {when it was remembered (epoch ms), state ordinal}: two longs, no boxing of the state. */
    private final LinkedHashMap<Long, long[]> byKey = new LinkedHashMap<>();
    private final long horizonMillis;
    private final Clock clock;

    PartitionIndex(Duration horizon, Clock clock) {
        this.horizonMillis = horizon.toMillis();
        this.clock = clock;
    }

    synchronized LedgerEntry.State get(long key) {
        long[] entry = byKey.get(key);
        return entry == null ? null : STATES[(int) entry[1]];
    }

    synchronized void put(long key, LedgerEntry.State state, long atMillis) {
        long[] known = byKey.get(key);
        if (known != null && STATES[(int) known[1]].done() && !state.done()) {
            // A generation once finished is never sent again; a note written before its outcome may arrive after it.
            return;
        }
        byKey.remove(key);
        byKey.put(key, new long[] {atMillis, state.ordinal()});
        long oldest = clock.millis() - horizonMillis;
        Iterator<long[]> eldest = byKey.values().iterator();
        while (eldest.hasNext() && eldest.next()[0] < oldest) {
            eldest.remove();
        }
    }

    synchronized int size() {
        return byKey.size();
    }
}
