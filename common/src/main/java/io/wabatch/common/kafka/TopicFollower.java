package io.wabatch.common.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows topics without a consumer group, on a thread of its own: every partition of each topic, from
 * its beginning (a compacted topic's whole state) or from an instant (the window a reader needs), applying
 * each record in order. {@link #caughtUp()} completes once the ends at start have been applied (a service
 * starts work only then); {@link #terminated()} completes exceptionally when the follower failed, so the
 * service stops instead of going on with state that no longer follows. Reads committed records only.
 */
public final class TopicFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);

    private final String name;
    private final KafkaConsumer<byte[], byte[]> consumer;
    /** Topic → where to start: null for its beginning, else a supplier of the instant. */
    private final Map<String, Supplier<Instant>> starts;
    private final Consumer<ConsumerRecord<byte[], byte[]>> apply;
    private final Runnable idle;
    private final Runnable caughtUpAction;
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Thread thread;

    private TopicFollower(Builder builder) {
        this.name = builder.name;
        this.consumer = KafkaClients.reader(builder.clientProperties);
        this.starts = new LinkedHashMap<>(builder.starts);
        this.apply = builder.apply;
        this.idle = builder.idle;
        this.caughtUpAction = builder.caughtUp;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    /** A follower named {@code name} (its thread's name and its log lines'). */
    public static Builder named(String name, Map<String, Object> clientProperties) {
        return new Builder(name, clientProperties);
    }

    /** How a follower reads, and what it does with each record. */
    public static final class Builder {
        private final String name;
        private final Map<String, Object> clientProperties;
        private final Map<String, Supplier<Instant>> starts = new LinkedHashMap<>();
        private Consumer<ConsumerRecord<byte[], byte[]>> apply = r -> { };
        private Runnable idle = () -> { };
        private Runnable caughtUp = () -> { };

        private Builder(String name, Map<String, Object> clientProperties) {
            this.name = name;
            this.clientProperties = clientProperties;
        }

        /** Reads {@code topic} from its beginning. */
        public Builder fromBeginning(String topic) {
            starts.put(topic, null);
            return this;
        }

        /** Reads {@code topic} from the first record at or after the instant {@code from} gives at start. */
        public Builder since(String topic, Supplier<Instant> from) {
            starts.put(topic, from);
            return this;
        }

        /** Applies each record, on the follower's thread; an exception it throws stops the follower. */
        public Builder onRecord(Consumer<ConsumerRecord<byte[], byte[]>> action) {
            this.apply = action;
            return this;
        }

        /** Runs after every poll, records or not (housekeeping such as pruning old state). */
        public Builder afterPoll(Runnable action) {
            this.idle = action;
            return this;
        }

        /** Runs once, when the ends at start have been applied, before {@link #caughtUp()} completes. */
        public Builder onCaughtUp(Runnable action) {
            this.caughtUp = action;
            return this;
        }

        public TopicFollower build() {
            if (starts.isEmpty()) {
                throw new IllegalStateException("a follower needs a topic");
            }
            return new TopicFollower(this);
        }
    }

    public TopicFollower start() {
        thread.start();
        return this;
    }

    /** Completes once everything up to each partition's end at start has been applied. */
    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
    }

    /** Completes when the follower stops: normally on {@link #close()}, exceptionally when it failed. */
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    private void run() {
        try {
            Map<TopicPartition, Long> end = position();
            while (!closing.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    apply.accept(record);
                }
                idle.run();
                if (!caughtUp.isDone() && end.entrySet().stream()
                        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUpAction.run();
                    caughtUp.complete(null);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("{} stopped: {}", name, e.toString());
            caughtUp.completeExceptionally(e);
            terminated.completeExceptionally(e);
        } finally {
            consumer.close();
            terminated.complete(null);
        }
    }

    /** Assigns every partition of the topics and seeks each to its start; returns the ends at start. */
    private Map<TopicPartition, Long> position() {
        List<TopicPartition> all = new ArrayList<>();
        List<TopicPartition> fromBeginning = new ArrayList<>();
        Map<TopicPartition, Long> since = new HashMap<>();
        starts.forEach((topic, from) -> {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            all.addAll(partitions);
            if (from == null) {
                fromBeginning.addAll(partitions);
            } else {
                long at = from.get().toEpochMilli();
                partitions.forEach(p -> since.put(p, at));
            }
        });
        consumer.assign(all);
        consumer.seekToBeginning(fromBeginning);
        Map<TopicPartition, Long> end = consumer.endOffsets(all);
        if (!since.isEmpty()) {
            Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(since);
            since.keySet().forEach(p -> {
                OffsetAndTimestamp offset = offsets.get(p);
                consumer.seek(p, offset == null ? end.get(p) : offset.offset());
            });
        }
        return end;
    }

    @Override
    public void close() {
        closing.set(true);
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
