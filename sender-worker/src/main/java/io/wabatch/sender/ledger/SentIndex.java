package io.wabatch.sender.ledger;

import io.wabatch.common.contract.ReadyJob;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory index of what was sent: per owned partition, a {@link PartitionIndex} of the
 * latest state of each (job, generation) seen within the horizon.
 *
 * <p>Threading: safe from any thread; the event loop reads and remembers, a rebuild
 * {@linkplain #install installs} a partition's fresh index from its own thread. Never fails.
 *
 * <p>Memory: one entry per (job, generation), keyed by a 64-bit hash of the two (a collision,
 * about 1 in 10^8 at a million entries, would suppress one job).
 */
final class SentIndex {

    private final Map<Integer, PartitionIndex> partitions = new ConcurrentHashMap<>();
    private final Duration horizon;
    private final Clock clock;

    SentIndex(Duration horizon, Clock clock) {
        this.horizon = horizon;
        this.clock = clock;
    }

    /** What is known of this generation of the job in {@code partition}, or null. */
    LedgerEntry.State state(int partition, ReadyJob job) {
        PartitionIndex index = partitions.get(partition);
        return index == null ? null : index.get(key(job.jobId(), job.generation()));
    }

    void remember(int partition, ReadyJob job, LedgerEntry.State state) {
        partitions.computeIfAbsent(partition, p -> fresh()).put(key(job.jobId(), job.generation()), state,
                clock.millis());
    }

    /** An empty index for one partition, to fill from the topic and {@link #install}. */
    PartitionIndex fresh() {
        return new PartitionIndex(horizon, clock);
    }

    /** Replaces what is known of the partition (a finished rebuild). */
    void install(int partition, PartitionIndex index) {
        partitions.put(partition, index);
    }

    /** Forgets the partition (assigned anew, or revoked). */
    void forget(int partition) {
        partitions.remove(partition);
    }

    /** Jobs remembered, all partitions. */
    int size() {
        return partitions.values().stream().mapToInt(PartitionIndex::size).sum();
    }

    /**
     * A 64-bit hash of (job, generation): FNV-1a over the id's characters and the generation, then
     * MurmurHash3's finaliser to spread the bits. Taken several times per message, so no digest.
     */
    static long key(String job, int generation) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < job.length(); i++) {
            hash = (hash ^ job.charAt(i)) * 0x100000001b3L;
        }
        hash = (hash ^ generation) * 0x100000001b3L;
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        return hash ^ (hash >>> 33);
    }
}
