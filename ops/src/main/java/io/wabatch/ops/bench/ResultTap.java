package io.wabatch.ops.bench;

import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.Outcome;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a results topic (committed records only) on a thread of its own and keeps every result
 * that matches a filter, so a scenario can wait for its messages and compute latencies from the
 * results' own timestamps ({@code enqueuedAt}: the campaign job's record time; {@code sentAt}: the
 * API's acceptance, as the sender saw it).
 */
final class ResultTap implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Predicate<JobResult> filter;
    private final List<JobResult> results = new ArrayList<>();
    private final Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
    private final Thread thread;
    private volatile boolean running = true;

    ResultTap(String bootstrap, String topic, Predicate<JobResult> filter) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-tap-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.consumer.subscribe(List.of(topic));
        this.filter = filter;
        this.thread = new Thread(this::run, "bench-results");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    add(record.value());
                }
            }
        } finally {
            consumer.close();
        }
    }

    private void add(byte[] value) {
        try {
            JobResult result = Json.read(value, JobResult.class);
            if (filter.test(result)) {
                synchronized (this) {
                    results.add(result);
                    outcomes.merge(result.outcome(), 1, Integer::sum);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // not a result of ours
        }
    }

    /** Waits until {@code count} matching results arrived or {@code timeout} passed; returns how many there are. */
    synchronized int await(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (results.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return results.size();
    }

    synchronized List<JobResult> results() {
        return List.copyOf(results);
    }

    synchronized Map<Outcome, Integer> outcomes() {
        return Map.copyOf(outcomes);
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
