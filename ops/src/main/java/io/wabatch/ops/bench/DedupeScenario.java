package io.wabatch.ops.bench;

import io.wabatch.sandbox.api.Latency;
import io.wabatch.sandbox.api.SandboxServer;
import io.wabatch.sandbox.origin.MediaOrigin;
import io.wabatch.sandbox.origin.Route;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Media dedupe: a campaign of {@code recipients} recipients (100,000 by default) in jobs of 1,000,
 * spread over 2 channels and 3 distinct media links, all published at once to one upload worker.
 * Each (channel, link) must be uploaded exactly once: 6 uploads, counted by the sandbox. Also
 * reported: the time from the first publish to the last ready job on {@code wa.jobs.ready}.
 */
final class DedupeScenario implements Scenario {

    private static final Logger LOG = LoggerFactory.getLogger("io.wabatch.bench");
    private static final int PER_JOB = 1_000;
    private static final List<String[]> MEDIA = List.of(new String[] {"image", "sample.jpg", "image/jpeg"},
            new String[] {"document", "sample.pdf", "application/pdf"}, new String[] {"video", "sample.mp4", "video/mp4"});

    @Override
    public String name() {
        return "dedupe";
    }

    @Override
    public BenchReport run(BenchEnv env, BenchOptions options) throws Exception {
        List<BenchChannel> channels = List.of(new BenchChannel("dedupe-a", 0, 1_000), new BenchChannel("dedupe-b", 1, 1_000));
        BenchReport report = new BenchReport(name(), options.durationSeconds());
        int recipients = options.recipients();
        report.features().put("recipients", recipients).put("channels", channels.size()).put("media", MEDIA.size());
        try (SandboxServer sandbox = Figures.sandbox(channels, Latency.NONE);
             MediaOrigin origin = MediaOrigin.start();
             Pipeline pipeline = Pipeline.create(env, "dedupe", channels, sandbox.baseUrl(), 2);
             JobFeed feed = new JobFeed(env.bootstrap(), pipeline.topics().jobs())) {
            MEDIA.forEach(m -> origin.register("/" + m[1], Route.bytes(MediaOrigin.sample(m[1]), m[2])));
            pipeline.startUploadWorker(Map.of(), List.of("-Xmx1g"));
            KafkaConsumer<byte[], byte[]> ready = readyConsumer(env.bootstrap(), pipeline.topics().ready());
            ready.poll(Duration.ofMillis(500));

            long start = System.nanoTime();
            int job = 0;
            for (int first = 0; first < recipients; first += PER_JOB, job++) {
                BenchChannel channel = channels.get(job % channels.size());
                String[] media = MEDIA.get((job / channels.size()) % MEDIA.size());
                feed.publish(JobFeed.batch("dedupe-" + job, "dedupe", channel.id(), first,
                        Math.min(PER_JOB, recipients - first), JobFeed.mediaLink(media[0], origin.url("/" + media[1]))));
            }
            feed.flush();
            long seen = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(120 + recipients / 500).toNanos();
            long lastReadyNanos = start;
            while (seen < recipients && System.nanoTime() < deadline) {
                int n = ready.poll(Duration.ofMillis(100)).count();
                if (n > 0) {
                    seen += n;
                    lastReadyNanos = System.nanoTime();
                }
            }
            ready.close();
            long timeToReady = (lastReadyNanos - start) / 1_000_000;
            long uploads = channels.stream().mapToLong(c -> sandbox.stats(c.numberId()).uploads()).sum();
            int expectedUploads = Math.min(job, channels.size() * MEDIA.size());
            long downloads = MEDIA.stream().mapToLong(m -> origin.requestCount("/" + m[1])).sum();
            LOG.info("dedupe: {} ready jobs after {} ms, {} uploads, {} downloads", seen, timeToReady, uploads, downloads);
            report.json().put("uploads", uploads).put("expected_uploads", expectedUploads)
                    .put("time_to_ready_ms", timeToReady).put("completed", seen).put("expected", recipients)
                    .put("origin_downloads", downloads);
            report.row("ready jobs", seen + " / " + recipients, "all", seen == recipients);
            report.row("uploads to /media", Long.toString(uploads), "exactly " + expectedUploads, uploads == expectedUploads);
            report.row("downloads from the origin", Long.toString(downloads), null, null);
            report.row("publish -> last ready job (ms)", Long.toString(timeToReady), null, null);
        }
        return report;
    }

    private static KafkaConsumer<byte[], byte[]> readyConsumer(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-ready-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
