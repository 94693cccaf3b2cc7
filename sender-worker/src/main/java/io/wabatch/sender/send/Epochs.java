package io.wabatch.sender.send;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ownership epoch of each ready-topic partition: it counts up on every revocation, so a job that
 * started in an older epoch knows its partition went to another sender while it waited.
 *
 * <p>Threading: revocations come from the poll thread, reads from the event loop; safe from any
 * thread. Never fails.
 */
final class Epochs {

    private final Map<Integer, Integer> epochs = new ConcurrentHashMap<>();

    int current(int partition) {
        return epochs.getOrDefault(partition, 0);
    }

    void revoked(int partition) {
        epochs.merge(partition, 1, Integer::sum);
    }
}
