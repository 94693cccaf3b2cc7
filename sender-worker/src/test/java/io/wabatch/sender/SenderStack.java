package io.wabatch.sender;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.kafka.TopicException;
import io.wabatch.common.kafka.DeferTiers;
import io.wabatch.common.kafka.TopicNames;
import io.wabatch.common.kafka.Topics;
import io.wabatch.sandbox.api.PairLimit;
import io.wabatch.sandbox.api.SandboxConfig;
import io.wabatch.sandbox.api.SandboxServer;
import io.wabatch.sandbox.api.stats.StatsSnapshot;
import io.wabatch.sandbox.kafka.KafkaTestBroker;
import io.wabatch.sender.config.SenderWorkerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One test's sender stack: fresh topics on the shared test broker, the sandbox API with one number
 * per {@link TestChannel} on a free port, the matching channel registry, a producer that publishes
 * ready jobs straight to each channel's partition, a {@link SenderOutputs} over what the sender
 * writes, and an in-process {@link SenderWorker} (started on demand, with a {@link SimpleMeterRegistry}).
 *
 * <p>Time constants are scaled down where the protocol allows: the pair window is 200 ms at both the
 * sandbox and the sender, retry backoff starts at 50 ms, the consumer session timeout is the broker's
 * minimum (6 s).
 */
public final class SenderStack implements AutoCloseable {

    /** The pair window of the sandbox and of the sender unless a test sets another. */
    public static final Duration PAIR_WINDOW = Duration.ofMillis(200);

    public final String id;
    public final String bootstrap;
    public final TopicNames topics;
    public final String groupId;
    public final SandboxServer sandbox;
    public final ChannelRegistry registry;
    public final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Map<String, TestChannel> channels = new LinkedHashMap<>();
    private final KafkaProducer<byte[], byte[]> producer;
    private final SenderOutputs outputs;
    private SenderWorker sender;

    private SenderStack(String name, List<TestChannel> testChannels, UnaryOperator<SandboxConfig.Builder> sandboxSetup,
                        DeferTiers tiers, String bootstrap, Admin admin) throws TopicException {
        this.id = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.bootstrap = bootstrap;
        this.topics = TopicNames.withPrefix(id).withDeferTiers(tiers);
        this.groupId = "sender-it-" + id;
        Topics.create(admin, topics.specs(2), (short) 1);
        SandboxConfig.Builder builder = SandboxConfig.builder().port(0).pairLimit(PairLimit.of(PAIR_WINDOW, 1));
        testChannels.forEach(c -> {
            channels.put(c.id(), c);
            builder.number(c.sandboxNumber());
        });
        this.sandbox = SandboxServer.start(sandboxSetup.apply(builder).build());
        this.registry = ChannelRegistry.of(testChannels.stream().map(c -> c.channel(sandbox.baseUrl())).toList());
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap, ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024), new ByteArraySerializer(), new ByteArraySerializer());
        this.outputs = new SenderOutputs(bootstrap, topics);
    }

    /** Topics, sandbox, producer and output reader; no sender yet. */
    public static SenderStack create(String name, List<TestChannel> channels) throws TopicException {
        return create(name, channels, b -> b);
    }

    /** As {@link #create(String, List)}, {@code sandboxSetup} adjusting the sandbox (faults, pair limit, ...). */
    public static SenderStack create(String name, List<TestChannel> channels, UnaryOperator<SandboxConfig.Builder> sandboxSetup)
            throws TopicException {
        return create(name, channels, sandboxSetup, DeferTiers.DEFAULT);
    }

    /** As {@link #create(String, List, UnaryOperator)} with scaled-down defer tiers. */
    public static SenderStack create(String name, List<TestChannel> channels, UnaryOperator<SandboxConfig.Builder> sandboxSetup,
                              DeferTiers tiers) throws TopicException {
        return new SenderStack(name, channels, sandboxSetup, tiers, KafkaTestBroker.bootstrapServers(),
                KafkaTestBroker.admin());
    }

    /**
     * As {@link #create(String, List, UnaryOperator)} on another broker than the shared one (a test that
     * stops its broker has one of its own); {@code admin} talks to it and stays the caller's to close.
     */
    public static SenderStack onBroker(String name, List<TestChannel> channels,
                                UnaryOperator<SandboxConfig.Builder> sandboxSetup, String bootstrap, Admin admin)
            throws TopicException {
        return new SenderStack(name, channels, sandboxSetup, DeferTiers.DEFAULT, bootstrap, admin);
    }

    /** The sender's configuration: this stack's topics and group, scaled-down time constants, then {@code overrides}. */
    public Map<String, String> senderValues(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(topics.asConfig());
        values.put("bootstrap.servers", bootstrap);
        values.put("group.id", groupId);
        values.put("shutdown.drain.timeout.ms", "10000");
        values.put("send.retry.initial.ms", "50");
        values.put("send.retry.max.ms", "1000");
        values.put("pair.window.ms", Long.toString(PAIR_WINDOW.toMillis()));
        values.put("pair.backoff.base.ms", "200");
        // Most tests send texts to made-up numbers that never wrote; PolicyIT turns the window rule on.
        values.put("policy.window.enforce", "false");
        // A killed sender's group membership ends after the session timeout: the broker's minimum, not 45 s.
        values.put("kafka.session.timeout.ms", "6000");
        values.put("kafka.heartbeat.interval.ms", "1000");
        values.putAll(overrides);
        return values;
    }

    /** Starts the in-process sender and waits for its partition assignment. */
    public SenderWorker startSender(Map<String, String> overrides) throws TopicException {
        sender = SenderWorker.start(new SenderWorkerConfig(senderValues(overrides)), registry, meters);
        sender.assigned().orTimeout(60, TimeUnit.SECONDS).join();
        return sender;
    }

    public SenderWorker sender() {
        return sender;
    }

    /** Closes the in-process sender (drains, commits). */
    public void stopSender() {
        if (sender != null) {
            sender.close();
            sender = null;
        }
    }

    public SenderOutputs outputs() {
        return outputs;
    }

    public TestChannel channel(String channelId) {
        return channels.get(channelId);
    }

    /** The sandbox's counters of the channel's number. */
    public StatsSnapshot stats(String channelId) {
        return sandbox.stats(channels.get(channelId).numberId());
    }

    /**
     * Publishes ready jobs to their channel's partition (the registry's, given explicitly), keyed
     * {@code <channel>/<to>}, in order, and waits for the broker's acknowledgements.
     */
    public void publish(List<ReadyJob> jobs) {
        List<Future<?>> acks = new ArrayList<>(jobs.size());
        for (ReadyJob job : jobs) {
            acks.add(producer.send(new ProducerRecord<>(topics.ready(), registry.get(job.channel()).partition(),
                    job.key().getBytes(StandardCharsets.UTF_8), Json.bytes(job))));
        }
        producer.flush();
        for (Future<?> ack : acks) {
            try {
                ack.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("publishing a ready job failed", e);
            }
        }
    }

    /** Writes a campaign's command (its state and policy) to the control topic and waits for the broker. */
    public void publishControl(String campaign, io.wabatch.common.control.CampaignCommand command) {
        try {
            producer.send(command.toRecord(topics.control(), campaign)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("publishing a campaign command failed", e);
        }
    }

    /**
     * Runs {@code seconds} of traffic at each channel's pace through the sender, waits for every
     * result, then resets the sandbox (stats, messages, rate windows, pair buckets): the measured run
     * that follows sees a sender past its JIT warm-up and a clean API record.
     *
     * @return the sandbox's view of the warm-up, per channel
     */
    public Map<String, StatsSnapshot> warmUp(double seconds) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        channels.values().forEach(c -> counts.put(c.id(), (int) Math.ceil(c.pace() * seconds)));
        return warmUp(counts);
    }

    private Map<String, StatsSnapshot> warmUp(Map<String, Integer> counts) {
        counts.forEach((channel, count) -> publish(ReadyJobs.texts("warm-up-" + channel, channel, 9, count)));
        counts.forEach((channel, count) -> outputs.awaitResults("warm-up-" + channel, count, Duration.ofSeconds(60)));
        Map<String, StatsSnapshot> seen = new LinkedHashMap<>();
        counts.keySet().forEach(channel -> seen.put(channel, stats(channel)));
        sandbox.reset();
        return seen;
    }

    /** The registry as a YAML file for a sender process, each credential in a file next to it. */
    public Path registryFile(Path dir) throws IOException {
        StringBuilder yaml = new StringBuilder("channels:\n");
        for (TestChannel channel : channels.values()) {
            Path secret = Files.writeString(dir.resolve(channel.id() + ".secret"), channel.credential());
            yaml.append(channel.yaml(sandbox.baseUrl(), secret));
        }
        return Files.writeString(dir.resolve("channels.yaml"), yaml.toString());
    }

    @Override
    public void close() throws Exception {
        stopSender();
        outputs.close();
        producer.close();
        sandbox.close();
    }
}
