package io.wabatch.sender;

import static org.awaitility.Awaitility.await;

import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Json;
import io.wabatch.common.kafka.TopicNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads what the sender writes ({@code wa.results}, {@code wa.dlq}, {@code wa.jobs} for re-upload
 * requests, the deferred tier topics and {@code wa.control}) from the beginning on a background thread, so tests wait for what they
 * expect without consumers of their own. Results are counted per campaign and indexed by job id.
 */
public final class SenderOutputs implements AutoCloseable {

    private final TopicNames topics;
    private final Properties props = new Properties();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final Map<String, AtomicInteger> resultCounts = new ConcurrentHashMap<>();
    private final Map<String, Map<String, JobResult>> lastByJob = new ConcurrentHashMap<>();
    private final Map<String, Map<String, List<JobResult>>> historyByJob = new ConcurrentHashMap<>();
    private final Queue<ConsumerRecord<byte[], byte[]>> deadLetters = new ConcurrentLinkedQueue<>();
    private final Queue<ConsumerRecord<byte[], byte[]>> jobs = new ConcurrentLinkedQueue<>();
    private final Queue<ConsumerRecord<byte[], byte[]>> deferred = new ConcurrentLinkedQueue<>();
    private final Queue<ConsumerRecord<byte[], byte[]>> control = new ConcurrentLinkedQueue<>();
    private final Queue<ConsumerRecord<byte[], byte[]>> statuses = new ConcurrentLinkedQueue<>();
    private final Queue<ConsumerRecord<byte[], byte[]>> inbound = new ConcurrentLinkedQueue<>();
    private final Queue<ConsumerRecord<byte[], byte[]>> optOuts = new ConcurrentLinkedQueue<>();
    private final Queue<ConsumerRecord<byte[], byte[]>> identities = new ConcurrentLinkedQueue<>();
    private final Map<TopicPartition, Long> readUpTo = new ConcurrentHashMap<>();
    private volatile RuntimeException failure;

    SenderOutputs(String bootstrap, TopicNames topics) {
        this.topics = topics;
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = Stream.concat(Stream.of(topics.results(), topics.dlq(), topics.jobs(),
                        topics.control(), topics.status(), topics.inbound(), topics.optOuts(), topics.identities()),
                        topics.deferredTopics().stream())
                .flatMap(t -> consumer.partitionsFor(t, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(t, p.partition())))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::run, "sender-outputs-" + topics.results());
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (true) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    index(record);
                }
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
        readUpTo.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max);
        if (record.topic().equals(topics.results())) {
            try {
                JobResult result = Json.read(record.value(), JobResult.class);
                String campaign = result.campaignId() == null ? "" : result.campaignId();
                resultCounts.computeIfAbsent(campaign, c -> new AtomicInteger()).incrementAndGet();
                lastByJob.computeIfAbsent(campaign, c -> new ConcurrentHashMap<>()).put(result.jobId(), result);
                historyByJob.computeIfAbsent(campaign, c -> new ConcurrentHashMap<>())
                        .computeIfAbsent(result.jobId(), j -> new CopyOnWriteArrayList<>()).add(result);
            } catch (IOException e) {
                throw new IllegalStateException("unreadable result record", e);
            }
        } else if (record.topic().equals(topics.dlq())) {
            deadLetters.add(record);
        } else if (record.topic().equals(topics.control())) {
            control.add(record);
        } else if (record.topic().equals(topics.status())) {
            statuses.add(record);
        } else if (record.topic().equals(topics.inbound())) {
            inbound.add(record);
        } else if (record.topic().equals(topics.optOuts())) {
            optOuts.add(record);
        } else if (record.topic().equals(topics.identities())) {
            identities.add(record);
        } else if (topics.deferredTopics().contains(record.topic())) {
            deferred.add(record);
        } else {
            jobs.add(record);
        }
    }

    /** Results of the campaign so far, counting every result of a job that got more than one. */
    public int resultCount(String campaign) {
        check();
        AtomicInteger count = resultCounts.get(campaign);
        return count == null ? 0 : count.get();
    }

    /**
     * Waits until the campaign has results for {@code expected} distinct job ids and returns the
     * last result of each job.
     */
    public Map<String, JobResult> awaitResults(String campaign, int expected, Duration atMost) {
        await(expected + " results of " + campaign).atMost(atMost).pollInterval(Duration.ofMillis(50))
                .until(() -> jobsWithResult(campaign) >= expected);
        return byJob(campaign);
    }

    /** How many distinct jobs of the campaign have a result. */
    public int jobsWithResult(String campaign) {
        check();
        Map<String, JobResult> jobs = lastByJob.get(campaign);
        return jobs == null ? 0 : jobs.size();
    }

    /** The last result of each job of the campaign (a copy). */
    public Map<String, JobResult> byJob(String campaign) {
        check();
        Map<String, JobResult> jobs = lastByJob.get(campaign);
        return jobs == null ? Map.of() : new HashMap<>(jobs);
    }

    /**
     * Every result of each job of the campaign, in the order written (a job's results all go to its
     * channel's partition, so this order is the order the senders produced them in). A copy.
     */
    public Map<String, List<JobResult>> historyByJob(String campaign) {
        check();
        Map<String, List<JobResult>> jobs = historyByJob.get(campaign);
        Map<String, List<JobResult>> copy = new HashMap<>();
        if (jobs != null) {
            jobs.forEach((job, results) -> copy.put(job, List.copyOf(results)));
        }
        return copy;
    }

    public JobResult awaitResult(String campaign, String jobId, Duration atMost) {
        return await("result of " + jobId).atMost(atMost).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    check();
                    Map<String, JobResult> jobs = lastByJob.get(campaign);
                    return jobs == null ? null : jobs.get(jobId);
                }, r -> r != null);
    }

    /**
     * Waits until everything written to the results and dead-letter topics so far has been read: call
     * it once the senders have stopped, so that counts of result records are complete.
     */
    public void awaitCaughtUp(Duration atMost) {
        Map<TopicPartition, Long> ends;
        try (KafkaConsumer<byte[], byte[]> probe = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = Stream.of(topics.results(), topics.dlq())
                    .flatMap(t -> probe.partitionsFor(t, atMost).stream()
                            .map(p -> new TopicPartition(t, p.partition())))
                    .toList();
            ends = probe.endOffsets(partitions, atMost);
        }
        await("the results and dead letters read to their end").atMost(atMost).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    check();
                    return ends.entrySet().stream().allMatch(e -> readUpTo.getOrDefault(e.getKey(), 0L) >= e.getValue());
                });
    }

    public List<ConsumerRecord<byte[], byte[]>> deadLetters() {
        check();
        return new ArrayList<>(deadLetters);
    }

    /** Dead letters whose {@code name} header equals {@code value}. */
    public List<ConsumerRecord<byte[], byte[]>> deadLettersWhere(String name, String value) {
        return deadLetters().stream().filter(r -> value.equals(header(r, name))).toList();
    }

    /** Records the sender wrote to the jobs topic (re-upload requests). */
    public List<ConsumerRecord<byte[], byte[]>> jobRecords() {
        check();
        return new ArrayList<>(jobs);
    }

    public ConsumerRecord<byte[], byte[]> awaitJobRecord(String what, Predicate<ConsumerRecord<byte[], byte[]>> match,
                                                  Duration atMost) {
        return await(what).atMost(atMost).pollInterval(Duration.ofMillis(20))
                .until(() -> jobRecords().stream().filter(match).findFirst().orElse(null), r -> r != null);
    }

    /** Records written to the deferred tier topics (by the sender and the relay), in the order read. */
    public List<ConsumerRecord<byte[], byte[]>> deferredRecords() {
        check();
        return new ArrayList<>(deferred);
    }

    /** Records written to the status topic (by the webhook receiver), in the order read. */
    public List<ConsumerRecord<byte[], byte[]>> statusRecords() {
        check();
        return new ArrayList<>(statuses);
    }

    /** Records written to the inbound topic, in the order read. */
    public List<ConsumerRecord<byte[], byte[]>> inboundRecords() {
        check();
        return new ArrayList<>(inbound);
    }

    /** Records written to the opt-out topic (by the funnel aggregator), in the order read. */
    public List<ConsumerRecord<byte[], byte[]>> optOutRecords() {
        check();
        return new ArrayList<>(optOuts);
    }

    /** Records written to the identity topic, in order. */
    public List<ConsumerRecord<byte[], byte[]>> identityRecords() {
        check();
        return new ArrayList<>(identities);
    }

    /** Records written to the control topic, in order. */
    public List<ConsumerRecord<byte[], byte[]>> controlRecords() {
        check();
        return new ArrayList<>(control);
    }

    public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
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
