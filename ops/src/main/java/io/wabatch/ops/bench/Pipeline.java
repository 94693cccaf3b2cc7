package io.wabatch.ops.bench;

import io.wabatch.common.kafka.TopicNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One measured phase of a scenario: fresh topics, the channel registry file, and the workers, each
 * in a JVM of its own. Workers are started on demand; closing the pipeline stops them (SIGTERM).
 */
final class Pipeline implements AutoCloseable {

    private final BenchEnv env;
    private final String name;
    private final TopicNames topics;
    private final List<BenchChannel> channels;
    private final Path dir;
    private final Path registry;
    private final List<ChildJvm> workers = new ArrayList<>();

    private Pipeline(BenchEnv env, String name, TopicNames topics, List<BenchChannel> channels, Path dir,
                     Path registry) {
        this.env = env;
        this.name = name;
        this.topics = topics;
        this.channels = channels;
        this.dir = dir;
        this.registry = registry;
    }

    /** Topics with one partition per channel (at least {@code minPartitions}) and a registry naming {@code apiBaseUrl}. */
    static Pipeline create(BenchEnv env, String name, List<BenchChannel> channels, String apiBaseUrl,
                           int minPartitions) {
        int partitions = Math.max(minPartitions, channels.stream().mapToInt(BenchChannel::partition).max().orElse(0) + 1);
        TopicNames topics = env.topics(name, partitions);
        Path dir = env.directory(topics.jobs().replace(".jobs", ""));
        StringBuilder yaml = new StringBuilder("channels:\n");
        channels.forEach(c -> yaml.append(c.yaml(apiBaseUrl)));
        try {
            Path registry = Files.writeString(dir.resolve("channels.yaml"), yaml);
            return new Pipeline(env, name, topics, channels, dir, registry);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the channel registry", e);
        }
    }

    TopicNames topics() {
        return topics;
    }

    /** Starts an upload worker and waits until it is ready. */
    ChildJvm startUploadWorker(Map<String, String> overrides, List<String> jvmOptions) {
        Map<String, String> config = config("upload", overrides);
        config.put("spool.dir", dir.resolve("spool").toString());
        config.put("media.allow", "127.0.0.0/8");
        return start("upload-worker", config, jvmOptions);
    }

    /** Starts a sender worker and waits until it is ready. */
    ChildJvm startSenderWorker(Map<String, String> overrides, List<String> jvmOptions) {
        return start("sender-worker", config("sender", overrides), jvmOptions);
    }

    /** Starts a webhook receiver writing to these topics and waits until it is ready. */
    ChildJvm startWebhookReceiver(Map<String, String> overrides, List<String> jvmOptions) {
        return start("webhook-receiver", config("webhook", overrides), jvmOptions);
    }

    private ChildJvm start(String command, Map<String, String> config, List<String> jvmOptions) {
        Map<String, String> credentials = new HashMap<>();
        channels.forEach(c -> credentials.put(c.keyVariable(), c.apiKey()));
        ChildJvm child = ChildJvm.start(command, dir, config, credentials, jvmOptions);
        workers.add(child);
        child.awaitReady(Duration.ofSeconds(90));
        return child;
    }

    private Map<String, String> config(String role, Map<String, String> overrides) {
        Map<String, String> config = new HashMap<>(topics.asConfig());
        config.put("bootstrap.servers", env.bootstrap());
        config.put("group.id", group(role));
        config.put("channels.file", registry.toString());
        // A scenario's figures are taken before its workers stop: what they still hold then need not drain.
        config.put("shutdown.drain.timeout.ms", "1000");
        // The bench sends texts and media to made-up numbers that never wrote: no 24-hour window to check.
        config.put("policy.window.enforce", "false");
        config.putAll(overrides);
        return config;
    }

    private String group(String role) {
        return "bench-" + role + "-" + topics.jobs();
    }

    /**
     * Each stage's backlog now, in records its group has not committed: campaign jobs before the upload
     * worker ({@code jobs}), ready jobs before the sender ({@code ready}). The stage with the backlog is the
     * one that limits the pipeline.
     */
    Map<String, Long> backlog() {
        Map<String, Long> backlog = new LinkedHashMap<>();
        backlog.put("jobs", env.lag(group("upload"), topics.jobs()));
        backlog.put("ready", env.lag(group("sender"), topics.ready()));
        return backlog;
    }

    /** Stops every worker (SIGTERM, in reverse order). */
    @Override
    public void close() {
        for (int i = workers.size() - 1; i >= 0; i--) {
            workers.get(i).close();
        }
        workers.clear();
    }

    @Override
    public String toString() {
        return name + " (" + topics.jobs() + ")";
    }
}
