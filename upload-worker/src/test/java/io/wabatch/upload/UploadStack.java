package io.wabatch.upload;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wabatch.common.api.ApiEndpoint;
import io.wabatch.common.channel.Channel;
import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.secret.Secret;
import io.wabatch.common.contract.Json;
import io.wabatch.common.kafka.TopicException;
import io.wabatch.common.kafka.TopicNames;
import io.wabatch.common.kafka.Topics;
import io.wabatch.sandbox.api.SandboxConfig;
import io.wabatch.sandbox.api.SandboxServer;
import io.wabatch.sandbox.api.media.StoredMedia;
import io.wabatch.sandbox.kafka.KafkaTestBroker;
import io.wabatch.sandbox.origin.MediaOrigin;
import io.wabatch.upload.cache.MediaCacheEntry;
import io.wabatch.upload.config.UploadWorkerConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One test class's upload-worker stack: fresh topics on the shared test broker, the sandbox API,
 * a local media origin, an in-process upload worker (optional) with a {@link SimpleMeterRegistry},
 * a producer for jobs and an {@link OutputTail} over the worker's output.
 */
final class UploadStack implements AutoCloseable {

    /** The channel on the sandbox's 360dialog number (partition 0). */
    static final String D360 = "it-360";
    /** The channel on the sandbox's Meta number (partition 1). */
    static final String META = "it-meta";

    final String id;
    final TopicNames topics;
    final SandboxServer sandbox;
    final MediaOrigin origin;
    final Path workDir;
    final String groupId;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Map<String, String> overrides;
    private final double metaUploadRate;
    private Function<SandboxServer, ChannelRegistry> registry;
    private final KafkaProducer<byte[], byte[]> producer;
    private final OutputTail outputs;
    private UploadWorker worker;

    private UploadStack(String name, Map<String, String> overrides, double metaUploadRate)
            throws TopicException, IOException {
        this.id = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.overrides = overrides;
        this.metaUploadRate = metaUploadRate;
        this.registry = server -> registry(server, metaUploadRate);
        this.topics = TopicNames.withPrefix(id);
        this.groupId = "upload-it-" + id;
        this.workDir = Files.createTempDirectory("upload-it-");
        Topics.create(KafkaTestBroker.admin(), topics.specs(2), (short) 1);
        this.sandbox = SandboxServer.start(SandboxConfig.defaults().toBuilder().port(0).build());
        this.origin = MediaOrigin.start();
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5);
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.outputs = new OutputTail(KafkaTestBroker.bootstrapServers(), topics);
    }

    /** Starts the stack with an in-process worker; {@code overrides} replace the test defaults. */
    static UploadStack start(String name, Map<String, String> overrides) throws Exception {
        return start(name, overrides, 0);
    }

    /** As {@link #start(String, Map)} with the Meta channel's upload rate ({@code 0}: the default 25/s). */
    static UploadStack start(String name, Map<String, String> overrides, double metaUploadRate) throws Exception {
        UploadStack stack = new UploadStack(name, overrides, metaUploadRate);
        try {
            stack.startWorker();
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    /**
     * As {@link #start(String, Map)} with the worker's channel registry built from the sandbox by
     * {@code registry} (e.g. channels that name the sandbox numbers' accounts).
     */
    static UploadStack start(String name, Map<String, String> overrides,
                             Function<SandboxServer, ChannelRegistry> registry) throws Exception {
        UploadStack stack = new UploadStack(name, overrides, 0);
        stack.registry = registry;
        try {
            stack.startWorker();
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    /** Starts everything but the worker. */
    static UploadStack withoutWorker(String name, Map<String, String> overrides) throws Exception {
        return new UploadStack(name, overrides, 0);
    }

    /** The worker's configuration: the stack's topics and group, loopback media allowed, small time constants. */
    Map<String, String> workerValues(Path spoolDir) {
        Map<String, String> values = new HashMap<>(topics.asConfig());
        values.put("bootstrap.servers", KafkaTestBroker.bootstrapServers());
        values.put("group.id", groupId);
        values.put("media.allow", "127.0.0.0/8");
        values.put("spool.dir", spoolDir.toString());
        values.put("shutdown.drain.timeout.ms", "5000");
        values.put("media.fetch.max.attempts", "3");
        values.put("media.fetch.retry.initial.ms", "50");
        values.put("media.download.timeout.ms", "30000");
        values.put("media.read.timeout.ms", "10000");
        values.put("media.throughput.window.ms", "2000");
        values.put("media.min.throughput.bytes.per.second", "1024");
        values.put("media.cache.restore.timeout.ms", "30000");
        values.putAll(overrides);
        return values;
    }

    /** The spool directory of the in-process worker. */
    Path spoolDir() {
        return workDir.resolve("spool");
    }

    /** Starts the in-process worker and waits for its partition assignment. */
    UploadWorker startWorker() throws TopicException {
        worker = UploadWorker.start(new UploadWorkerConfig(workerValues(spoolDir())), registry.apply(sandbox),
                meters);
        worker.assigned().orTimeout(60, TimeUnit.SECONDS).join();
        return worker;
    }

    UploadWorker worker() {
        return worker;
    }

    /** Closes the in-process worker (the rest of the stack keeps running). */
    void stopWorker() {
        if (worker != null) {
            worker.close();
            worker = null;
        }
    }

    OutputTail outputs() {
        return outputs;
    }

    /**
     * The two channels of the sandbox's default numbers, like the demo's registry.
     *
     * @param metaUploadRate the Meta channel's uploads per second, or 0 for the default (25/s)
     */
    static ChannelRegistry registry(SandboxServer sandbox, double metaUploadRate) {
        URI base = URI.create(sandbox.baseUrl());
        int mps = 80;
        double headroom = Channel.DEFAULT_HEADROOM;
        int burst = Channel.defaultBurst(mps, headroom);
        return ChannelRegistry.of(List.of(
                new Channel(D360, ApiEndpoint.d360(base, Secret.of(SandboxConfig.DEMO_D360_API_KEY)),
                        null, 0, mps, headroom, burst, Channel.DEFAULT_UPLOAD_RATE),
                new Channel(META, ApiEndpoint.meta(base, ApiEndpoint.DEFAULT_META_API_VERSION,
                        SandboxConfig.DEMO_META_NUMBER_ID, Secret.of(SandboxConfig.DEMO_META_ACCESS_TOKEN)),
                        "102290129340398", 1, mps, headroom, burst,
                        metaUploadRate > 0 ? metaUploadRate : Channel.DEFAULT_UPLOAD_RATE)));
    }

    /** The same registry as a YAML file for a worker process, credentials in files next to it. */
    Path registryFile(Path dir) throws IOException {
        Path d360Key = Files.writeString(dir.resolve("d360.key"), SandboxConfig.DEMO_D360_API_KEY);
        Path metaToken = Files.writeString(dir.resolve("meta.token"), SandboxConfig.DEMO_META_ACCESS_TOKEN);
        String yaml = "channels:\n"
                + "  - id: " + D360 + "\n"
                + "    provider: 360dialog\n"
                + "    base_url: " + sandbox.baseUrl() + "\n"
                + "    credential: file:" + d360Key + "\n"
                + "    partition: 0\n"
                + "  - id: " + META + "\n"
                + "    provider: meta\n"
                + "    base_url: " + sandbox.baseUrl() + "\n"
                + "    api_version: " + ApiEndpoint.DEFAULT_META_API_VERSION + "\n"
                + "    phone_number_id: \"" + SandboxConfig.DEMO_META_NUMBER_ID + "\"\n"
                + "    credential: file:" + metaToken + "\n"
                + "    partition: 1\n";
        return Files.writeString(dir.resolve("channels.yaml"), yaml);
    }

    /** Publishes jobs (default partitioner) and waits for the broker's acknowledgements. */
    void publish(List<ObjectNode> jobs) {
        publish(null, jobs);
    }

    void publish(ObjectNode job) {
        publish(List.of(job));
    }

    /** Publishes jobs to one partition of {@code wa.jobs}, in order. */
    void publish(Integer partition, List<ObjectNode> jobs) {
        List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
        for (ObjectNode job : jobs) {
            acks.add(producer.send(new ProducerRecord<>(topics.jobs(), partition,
                    job.path("job_id").asText().getBytes(StandardCharsets.UTF_8), Json.bytes(job))));
        }
        producer.flush();
        for (var ack : acks) {
            try {
                ack.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("publishing a job failed", e);
            }
        }
    }

    /** Writes one record (e.g. to the template catalogue topic) and waits for the broker's acknowledgement. */
    void send(ProducerRecord<byte[], byte[]> record) {
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("writing to " + record.topic() + " failed", e);
        }
    }

    /** Uploads the sandbox stored for these bytes, on any number. */
    List<StoredMedia> uploadsOf(String sha256) {
        return sandbox.uploads().stream().filter(u -> u.sha256().equals(sha256)).toList();
    }

    /** Uploads the sandbox stored for these bytes on {@code number}. */
    long uploadsOf(String sha256, String number) {
        return uploadsOf(sha256).stream().filter(u -> u.number().equals(number)).count();
    }

    /**
     * What {@code wa.media-cache} holds now (read from the beginning to its end, tombstones applied), by key:
     * the media ids a worker started from this topic would reuse.
     */
    Map<String, MediaCacheEntry> mediaCache() {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, MediaCacheEntry> entries = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.mediaCache(), Duration.ofSeconds(30))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("could not read " + topics.mediaCache() + " to its end " + ends);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    String key = new String(record.key(), StandardCharsets.UTF_8);
                    if (record.value() == null) {
                        entries.remove(key);
                    } else {
                        entries.put(key, Json.read(record.value(), MediaCacheEntry.class));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable media-cache entry", e);
        }
        return entries;
    }

    /** The keys a compacted topic holds now (read from its beginning to its end, tombstones applied). */
    java.util.Set<String> liveKeys(String topic) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        java.util.Set<String> keys = new java.util.TreeSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("could not read " + topic + " to its end " + ends);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    String key = new String(record.key(), StandardCharsets.UTF_8);
                    if (record.value() == null) {
                        keys.remove(key);
                    } else {
                        keys.add(key);
                    }
                }
            }
        }
        return keys;
    }

    /** The worker's window gauge. */
    double inFlightGauge() {
        Gauge gauge = meters.find("wabatch.upload.inflight").gauge();
        return gauge == null ? 0 : gauge.value();
    }

    /** Left-over spool files ({@code *.part}) in {@code dir}. */
    static List<Path> spoolFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JPEG no other test serves: the bundled sample with a unique trailer after its end marker. */
    static byte[] uniqueJpeg(String tag) {
        byte[] sample = MediaOrigin.sample("sample.jpg");
        byte[] trailer = (tag + "/" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[sample.length + trailer.length];
        System.arraycopy(sample, 0, bytes, 0, sample.length);
        System.arraycopy(trailer, 0, bytes, sample.length, trailer.length);
        return bytes;
    }

    /** A valid-looking PDF of exactly {@code size} bytes: header, comment-line padding, trailer; written in chunks. */
    static Path pdf(Path file, long size) throws IOException {
        byte[] header = "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] trailer = "\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        byte[] padding = new byte[1 << 16];
        Arrays.fill(padding, (byte) ' ');
        for (int i = 0; i < padding.length; i += 64) {
            padding[i] = '%';
            padding[i + 63] = '\n';
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(header);
            for (long left = size - header.length - trailer.length; left > 0; left -= padding.length) {
                out.write(padding, 0, (int) Math.min(padding.length, left));
            }
            out.write(trailer);
        }
        if (Files.size(file) != size) {
            throw new IllegalStateException("wrote " + Files.size(file) + " bytes instead of " + size);
        }
        return file;
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    /** SHA-256 of a file, streamed. */
    static String sha256(Path file) throws IOException {
        MessageDigest digest = digest();
        byte[] buffer = new byte[1 << 16];
        try (var in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        stopWorker();
        outputs.close();
        producer.close();
        origin.close();
        sandbox.close();
        try (Stream<Path> tree = Files.walk(workDir)) {
            tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
