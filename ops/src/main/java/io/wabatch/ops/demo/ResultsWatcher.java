package io.wabatch.ops.demo;

import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.Outcome;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads {@code wa.results} (committed records only) and tallies one campaign's outcomes per
 * channel, so the demo can show progress and a summary computed from what the workers really
 * produced. Single-threaded: call from one thread.
 */
public final class ResultsWatcher implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String campaignId;
    private final Map<String, JobResult> byJobId = new HashMap<>();
    private final Map<String, ChannelTally> channels = new HashMap<>();
    private int duplicates;

    public ResultsWatcher(String bootstrap, String topic, String campaignId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "wabatch-demo-watch-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.consumer.subscribe(List.of(topic));
        this.campaignId = campaignId;
    }

    /** Polls until {@code expected} distinct jobs have a result or {@code timeout} passes; reports progress. */
    public boolean awaitResults(int expected, Duration timeout, Consumer<ResultsWatcher> progress) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextReport = 0;
        while (byJobId.size() < expected && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                add(record.value());
            }
            if (System.nanoTime() > nextReport) {
                progress.accept(this);
                nextReport = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            }
        }
        progress.accept(this);
        return byJobId.size() >= expected;
    }

    private void add(byte[] value) {
        JobResult result;
        try {
            result = Json.read(value, JobResult.class);
        } catch (IOException e) {
            return;
        }
        if (!campaignId.equals(result.campaignId())) {
            return;
        }
        if (byJobId.putIfAbsent(result.jobId(), result) != null) {
            duplicates++;
            return;
        }
        channels.computeIfAbsent(result.channel(), c -> new ChannelTally()).add(result);
    }

    /** Results seen, one per job id. */
    public int count() {
        return byJobId.size();
    }

    /** Results whose job id had a result already (should stay 0). */
    public int duplicateResults() {
        return duplicates;
    }

    /** Count of one outcome over all channels. */
    public int count(Outcome outcome) {
        return (int) byJobId.values().stream().filter(r -> r.outcome() == outcome).count();
    }

    /** Outcome counts over all channels. */
    public Map<Outcome, Integer> outcomes() {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        byJobId.values().forEach(r -> counts.merge(r.outcome(), 1, Integer::sum));
        return counts;
    }

    /** Every result by job id. */
    public Map<String, JobResult> results() {
        return byJobId;
    }

    public Map<String, ChannelTally> channels() {
        return channels;
    }

    @Override
    public void close() {
        consumer.close();
    }

    /** What one channel achieved. */
    public static final class ChannelTally {
        private int accepted;
        private Instant firstSent;
        private Instant lastSent;

        void add(JobResult result) {
            if (result.outcome() != Outcome.ACCEPTED || result.sentAt() == null) {
                return;
            }
            accepted++;
            firstSent = firstSent == null || result.sentAt().isBefore(firstSent) ? result.sentAt() : firstSent;
            lastSent = lastSent == null || result.sentAt().isAfter(lastSent) ? result.sentAt() : lastSent;
        }

        public int accepted() {
            return accepted;
        }

        /** Accepted messages per second between the first and the last accepted one. */
        public double rate() {
            if (accepted < 2) {
                return 0;
            }
            double seconds = Duration.between(firstSent, lastSent).toMillis() / 1000.0;
            return seconds <= 0 ? 0 : (accepted - 1) / seconds;
        }
    }
}
