package io.wabatch.common.kafka;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Orders records of a partition that share an ordering key: each key remembers the last record
 * admitted with it, and a record may start once every such predecessor is done. Keys of different
 * partitions never interact. Entries disappear when their record is done, so the map holds only keys
 * in flight. Not thread-safe: confined to the loop's Vert.x context (the {@code done} futures must
 * complete there too).
 */
final class KeyOrdering {

    private record PartitionKey(TopicPartition partition, String key) {
    }

    private final Map<PartitionKey, Future<?>> tails = new HashMap<>();

    /**
     * Admits a record with {@code keys} whose completion is {@code done}.
     *
     * @return a future completing (never failing) when every earlier record sharing a key is done;
     *         already complete when there is none
     */
    Future<?> admit(TopicPartition partition, Collection<String> keys, Future<?> done) {
        if (keys == null || keys.isEmpty()) {
            return Future.succeededFuture();
        }
        Set<PartitionKey> own = new LinkedHashSet<>();
        Set<Future<?>> predecessors = new LinkedHashSet<>();
        for (String key : keys) {
            PartitionKey partitionKey = new PartitionKey(partition, key);
            if (own.add(partitionKey)) {
                Future<?> previous = tails.put(partitionKey, done);
                if (previous != null && !previous.isComplete()) {
                    predecessors.add(previous);
                }
            }
        }
        done.onComplete(ar -> own.forEach(k -> tails.remove(k, done)));
        if (predecessors.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Future<?>> all = new ArrayList<>(predecessors);
        return Future.join(all).transform(ar -> Future.succeededFuture());
    }

    /** Keys with a record in flight (for tests). */
    int size() {
        return tails.size();
    }
}
