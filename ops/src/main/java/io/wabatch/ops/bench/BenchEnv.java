package io.wabatch.ops.bench;

import io.wabatch.common.kafka.TopicException;
import io.wabatch.common.kafka.TopicNames;
import io.wabatch.common.kafka.Topics;
import io.wabatch.sandbox.kafka.BrokerOptions;
import io.wabatch.sandbox.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What every scenario of one {@code wabatch bench} run shares: a working directory and an embedded
 * KRaft broker in this JVM. Each phase of a scenario gets topics of its own (a fresh prefix), so
 * phases never read each other's records.
 */
public final class BenchEnv implements AutoCloseable {

    private final Path workDir;
    private final EmbeddedKafkaBroker broker;
    private final Admin admin;
    private final AtomicInteger phases = new AtomicInteger();

    private BenchEnv(Path workDir, EmbeddedKafkaBroker broker) {
        this.workDir = workDir;
        this.broker = broker;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    /** Starts the broker in a new temporary directory. */
    public static BenchEnv start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("wabatch-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the bench's working directory", e);
        }
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerOptions.defaults().withDataDir(dir.resolve("kafka")));
        return new BenchEnv(dir, broker);
    }

    public String bootstrap() {
        return broker.bootstrapServers();
    }

    public Path workDir() {
        return workDir;
    }

    /** A new directory under the working directory. */
    Path directory(String name) {
        try {
            return Files.createDirectories(workDir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + name, e);
        }
    }

    /** Creates wabatch's topics under a new prefix ({@code <phase>-<n>.}) with {@code partitions} each. */
    TopicNames topics(String phase, int partitions) {
        TopicNames topics = TopicNames.withPrefix(phase + "-" + phases.incrementAndGet());
        try {
            Topics.create(admin, topics.specs(partitions), (short) 1);
        } catch (TopicException e) {
            throw new IllegalStateException("cannot create the bench topics: " + e.getMessage(), e);
        }
        return topics;
    }

    /**
     * Records of {@code topic} that consumer group {@code group} has not committed yet (end offsets less
     * committed offsets, or less the log start where nothing is committed, over every partition): where a
     * pipeline's backlog waits. Transaction markers count as records. -1 when the broker cannot say within
     * 15 s.
     */
    long lag(String group, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(15, TimeUnit.SECONDS);
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(15, TimeUnit.SECONDS).get(topic).partitions().stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            var ends = offsets(partitions, OffsetSpec.latest());
            var starts = offsets(partitions, OffsetSpec.earliest());
            long lag = 0;
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata done = committed.get(tp);
                lag += ends.get(tp) - (done == null ? starts.get(tp) : done.offset());
            }
            return lag;
        } catch (ExecutionException | TimeoutException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listOffsets(request).all().get(15, TimeUnit.SECONDS).forEach((tp, info) -> offsets.put(tp, info.offset()));
        return offsets;
    }

    /** Stops the broker and deletes the working directory. */
    @Override
    public void close() {
        admin.close();
        broker.close();
        try (var paths = Files.walk(workDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
