package io.wabatch.ops.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.Json;
import io.wabatch.sandbox.api.Latency;
import io.wabatch.sandbox.api.SandboxServer;
import io.wabatch.sandbox.origin.MediaOrigin;
import io.wabatch.sandbox.origin.Route;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.IntFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Media dedupe, two campaigns of {@code recipients} recipients each (100,000 by default) in jobs of
 * 1,000 over 2 channels, each published at once to a fresh upload worker:
 * <ul>
 *   <li><b>links</b>: 3 distinct media messages (image, document, video), one per job in turn;
 *       each (channel, link) uploaded exactly once: 6 uploads;</li>
 *   <li><b>carousel</b>: one media card carousel template of 10 image cards, each card its own
 *       file: 10 uploads per channel, exactly 20.</li>
 * </ul>
 * Uploads are counted by the sandbox. Also reported: the time from the first publish to the last
 * ready job on {@code wa.jobs.ready}, and the upload worker's peak RSS.
 */
final class DedupeScenario implements Scenario {

    private static final Logger LOG = LoggerFactory.getLogger("io.wabatch.bench");
    private static final int PER_JOB = 1_000;
    private static final int CARDS = 10;
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
        report.features().put("recipients", options.recipients()).put("channels", channels.size())
                .put("media", MEDIA.size()).put("carousel_cards", CARDS);
        try (MediaOrigin origin = MediaOrigin.start()) {
            MEDIA.forEach(m -> origin.register("/" + m[1], Route.bytes(MediaOrigin.sample(m[1]), m[2])));
            List<String> links = MEDIA.stream().map(m -> "/" + m[1]).toList();
            campaign(env, options, report, channels, origin, "links", links, MEDIA.size(),
                    job -> {
                        String[] media = MEDIA.get((job / channels.size()) % MEDIA.size());
                        return JobFeed.mediaLink(media[0], origin.url("/" + media[1]));
                    });
            List<String> cards = new ArrayList<>();
            for (int k = 0; k < CARDS; k++) {
                cards.add(distinctImage(origin, "/carousel/card-" + k + ".jpg"));
            }
            ObjectNode carousel = carousel(cards.stream().map(origin::url).toList());
            campaign(env, options, report, channels, origin, "carousel", cards, CARDS, job -> carousel);
        }
        return report;
    }

    /**
     * One campaign on a fresh pipeline: publishes every job at once, waits for every ready job.
     *
     * @param links           the origin paths of its media, for the download count
     * @param mediaPerChannel how many distinct media a channel's jobs carry in all
     */
    private static void campaign(BenchEnv env, BenchOptions options, BenchReport report, List<BenchChannel> channels,
                                 MediaOrigin origin, String name, List<String> links, int mediaPerChannel,
                                 IntFunction<ObjectNode> message) throws Exception {
        int recipients = options.recipients();
        try (SandboxServer sandbox = Figures.sandbox(channels, Latency.NONE);
             Pipeline pipeline = Pipeline.create(env, "dedupe-" + name, channels, sandbox.baseUrl(), 2);
             JobFeed feed = new JobFeed(env.bootstrap(), pipeline.topics().jobs())) {
            ChildJvm worker = pipeline.startUploadWorker(Map.of(), List.of("-Xmx1g"));
            KafkaConsumer<byte[], byte[]> ready = readyConsumer(env.bootstrap(), pipeline.topics().ready());
            ready.poll(Duration.ofMillis(500));
            long downloadsBefore = links.stream().mapToLong(origin::requestCount).sum();

            long start = System.nanoTime();
            int job = 0;
            for (int first = 0; first < recipients; first += PER_JOB, job++) {
                BenchChannel channel = channels.get(job % channels.size());
                feed.publish(JobFeed.batch("dedupe-" + name + "-" + job, "dedupe-" + name, channel.id(), first,
                        Math.min(PER_JOB, recipients - first), message.apply(job)));
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
            double rss = worker.peakRssMb();
            long uploads = channels.stream().mapToLong(c -> sandbox.stats(c.numberId()).uploads()).sum();
            int usedChannels = Math.min(job, channels.size());
            int expectedUploads = name.equals("links")
                    ? Math.min(job, channels.size() * mediaPerChannel) : usedChannels * mediaPerChannel;
            long downloads = links.stream().mapToLong(origin::requestCount).sum() - downloadsBefore;
            LOG.info("dedupe {}: {} ready jobs after {} ms, {} uploads, {} downloads, peak RSS {} MB", name, seen,
                    timeToReady, uploads, downloads, BenchReport.format(rss));
            report.json().putObject(name).put("uploads", uploads).put("expected_uploads", expectedUploads)
                    .put("time_to_ready_ms", timeToReady).put("completed", seen).put("expected", recipients)
                    .put("origin_downloads", downloads).put("peak_rss_mb", BenchReport.round(rss));
            String label = name.equals("links") ? "3 media links" : CARDS + "-card carousel";
            report.row(label + ": ready jobs", seen + " / " + recipients, "all", seen == recipients);
            report.row(label + ": uploads to /media", Long.toString(uploads), "exactly " + expectedUploads,
                    uploads == expectedUploads);
            report.row(label + ": downloads from the origin", Long.toString(downloads), null, null);
            report.row(label + ": publish -> last ready job (ms)", Long.toString(timeToReady), null, null);
            report.row(label + ": upload worker peak RSS (MB)", BenchReport.format(rss), null, null);
        }
    }

    /** Serves a copy of the sample JPEG made distinct by a trailer (readers ignore bytes after the image). */
    private static String distinctImage(MediaOrigin origin, String path) {
        byte[] sample = MediaOrigin.sample("sample.jpg");
        byte[] tail = ("\n" + path + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] bytes = Arrays.copyOf(sample, sample.length + tail.length);
        System.arraycopy(tail, 0, bytes, sample.length, tail.length);
        origin.register(path, Route.bytes(bytes, "image/jpeg"));
        return path;
    }

    /** A media card carousel template: body text, then one card per link, each with an image header. */
    private static ObjectNode carousel(List<String> links) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "template");
        ObjectNode template = message.putObject("template").put("name", "summer_carousel");
        template.putObject("language").put("code", "en_US");
        ArrayNode components = template.putArray("components");
        components.addObject().put("type", "body").putArray("parameters").addObject().put("type", "text")
                .put("text", "{{name}}");
        ArrayNode cards = components.addObject().put("type", "carousel").putArray("cards");
        for (int k = 0; k < links.size(); k++) {
            ArrayNode parts = cards.addObject().put("card_index", k).putArray("components");
            parts.addObject().put("type", "header").putArray("parameters").addObject().put("type", "image")
                    .putObject("image").put("link", links.get(k));
            parts.addObject().put("type", "button").put("sub_type", "quick_reply").put("index", "0")
                    .putArray("parameters").addObject().put("type", "payload").put("payload", "card-" + k);
        }
        return message;
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
