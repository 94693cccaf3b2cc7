package io.wabatch.upload;

import static org.awaitility.Awaitility.await;

import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.kafka.Outputs;
import io.wabatch.common.kafka.TopicNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the worker's output topics ({@code wa.jobs.ready}, {@code wa.results}, {@code wa.dlq})
 * from the beginning on a background thread and indexes them by campaign and job id, so tests can
 * wait for what they expect without a consumer of their own.
 */
final class OutputTail implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TopicNames topics;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final Map<String, Campaign> campaigns = new ConcurrentHashMap<>();
    private final Queue<ConsumerRecord<byte[], byte[]>> deadLetters = new ConcurrentLinkedQueue<>();
    private final Properties props = new Properties();
    private final List<TopicPartition> partitions;
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private volatile RuntimeException failure;

    /** What arrived for one campaign, in arrival order. */
    static final class Campaign {
        final Queue<ReadyJob> ready = new ConcurrentLinkedQueue<>();
        final AtomicInteger readyCount = new AtomicInteger();
        final Queue<JobResult> results = new ConcurrentLinkedQueue<>();
    }

    OutputTail(String bootstrap, TopicNames topics) {
        this.topics = topics;
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        partitions = Stream.of(topics.ready(), topics.results(), topics.dlq())
                .flatMap(t -> consumer.partitionsFor(t, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(t, p.partition())))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::run, "output-tail");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (true) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    index(record);
                }
                // Past commit markers and aborted records too, which no record offset shows.
                partitions.forEach(p -> positions.put(p, consumer.position(p)));
            }
        } catch (WakeupException stop) {
            // closed
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }

    private void index(ConsumerRecord<byte[], byte[]> record) {
        try {
            if (record.topic().equals(topics.ready())) {
                ReadyJob job = ReadyJob.decode(record.value());
                Campaign campaign = campaign(job.campaignId());
                campaign.ready.add(job);
                campaign.readyCount.incrementAndGet();
            } else if (record.topic().equals(topics.results())) {
                JobResult result = Json.read(record.value(), JobResult.class);
                campaign(result.campaignId()).results.add(result);
            } else {
                deadLetters.add(record);
            }
        } catch (IOException e) {
            throw new IllegalStateException("unreadable output record on " + record.topic(), e);
        }
    }

    Campaign campaign(String id) {
        return campaigns.computeIfAbsent(id == null ? "" : id, k -> new Campaign());
    }

    /** Ready jobs of the campaign that arrived so far. */
    int readyCount(String campaign) {
        check();
        return campaign(campaign).readyCount.get();
    }

    List<ReadyJob> ready(String campaign) {
        check();
        return new ArrayList<>(campaign(campaign).ready);
    }

    List<JobResult> results(String campaign) {
        check();
        return new ArrayList<>(campaign(campaign).results);
    }

    /** Waits until the campaign has {@code count} ready jobs, and returns them. */
    List<ReadyJob> awaitReady(String campaign, int count) {
        return awaitReady(campaign, count, WAIT);
    }

    List<ReadyJob> awaitReady(String campaign, int count, Duration atMost) {
        await(count + " ready jobs of " + campaign).atMost(atMost).pollInterval(Duration.ofMillis(20))
                .until(() -> readyCount(campaign) >= count);
        return ready(campaign);
    }

    /** The single ready job of a one-recipient job. */
    ReadyJob awaitOneReady(String campaign) {
        return awaitReady(campaign, 1).get(0);
    }

    /**
     * Waits for the ready job {@code jobId} of {@code campaign}; fails at once, with the reason, when a
     * {@code failed} result for it arrives instead.
     */
    ReadyJob awaitReadyJob(String campaign, String jobId) {
        Object found = await("ready job " + jobId).atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    Object ready = ready(campaign).stream().filter(r -> r.jobId().equals(jobId)).findFirst()
                            .orElse(null);
                    return ready != null ? ready : results(campaign).stream().filter(r -> r.jobId().equals(jobId))
                            .findFirst().orElse(null);
                }, r -> r != null);
        if (found instanceof JobResult failed) {
            throw new AssertionError("job " + jobId + " failed instead of becoming ready: " + failed.error());
        }
        return (ReadyJob) found;
    }

    /** Waits for the dead letter of {@code jobId} (header {@code wabatch.job.id}). */
    ConsumerRecord<byte[], byte[]> awaitDeadLetter(String jobId) {
        return await("dead letter of " + jobId).atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> deadLetter(jobId), r -> r != null);
    }

    ConsumerRecord<byte[], byte[]> deadLetter(String jobId) {
        check();
        return deadLetters.stream().filter(r -> jobId.equals(header(r, Outputs.JOB_ID))).findFirst().orElse(null);
    }

    /** Waits for the result of {@code jobId} in {@code campaign}. */
    JobResult awaitResult(String campaign, String jobId) {
        return await("result of " + jobId).atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> results(campaign).stream().filter(r -> jobId.equals(r.jobId())).findFirst().orElse(null),
                        r -> r != null);
    }

    /**
     * Waits until everything committed to the output topics so far has been read: call it once the
     * workers have stopped (an open transaction holds the end back), so that counts are complete.
     */
    void awaitCaughtUp(Duration atMost) {
        Map<TopicPartition, Long> ends;
        try (KafkaConsumer<byte[], byte[]> probe = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            ends = probe.endOffsets(partitions, atMost);
        }
        await("the output topics read to their end").atMost(atMost).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    check();
                    return ends.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue());
                });
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private void check() {
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        thread.join(5_000);
    }
}
