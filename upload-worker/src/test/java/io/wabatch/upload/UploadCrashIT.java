package io.wabatch.upload;

import static io.wabatch.upload.UploadStack.D360;
import static io.wabatch.upload.UploadStack.META;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.sandbox.api.SandboxConfig;
import io.wabatch.sandbox.api.media.StoredMedia;
import io.wabatch.sandbox.kafka.KafkaTestBroker;
import io.wabatch.sandbox.origin.MediaOrigin;
import io.wabatch.sandbox.origin.Route;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upload worker jar, SIGKILLed while it downloads a large document (48 MB from a throttled origin, one
 * download per channel), then started again on the same configuration and spool directory, while a
 * 20,000-recipient campaign (large-document, small-image and text jobs) is being published and fanned out.
 * Checked from outside the worker, with {@code read_committed} consumers and the sandbox's upload records:
 * <ul>
 *   <li>lost 0: every recipient has a committed ready job, and the group's offsets are at the end of
 *       {@code wa.jobs} (nothing is left to redeliver);</li>
 *   <li>no duplicate ready jobs: each recipient's job id is committed once;</li>
 *   <li>no orphaned spool files: the killed run's partial files are deleted when the new process starts, and
 *       the spool directory is empty at the end;</li>
 *   <li>no double upload of fresh media: the kill comes before the large document is uploaded (the origin is
 *       slow), so it is uploaded exactly once per channel; every small image whose id was in
 *       {@code wa.media-cache} at the kill is never uploaded again. (An upload that finished but was not yet
 *       remembered at the kill may be repeated: the API has no idempotency key, DESIGN §4.8.)</li>
 * </ul>
 * Both processes use the same {@code transactional.id}, as a StatefulSet would, so the new one aborts the
 * killed one's open transaction at once; the group session is the broker's minimum (6 s), not 45 s.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
@Tag("slow")
class UploadCrashIT {

    private static final Logger FIGURES = LoggerFactory.getLogger("figures");

    private static final long LARGE = 48L << 20;
    /** About 8 s per download: the kill at a quarter of it is seconds away from the upload. */
    private static final long ORIGIN_BYTES_PER_SECOND = 6L << 20;
    private static final int RECIPIENTS = 20_000;
    private static final int LARGE_JOBS_PER_CHANNEL = 3;
    private static final int LARGE_JOB_RECIPIENTS = 50;
    private static final int IMAGES = 4;
    private static final int IMAGE_JOBS_PER_CHANNEL = 5;
    private static final int BATCH = 100;
    private static final Duration TEXT_PACE = Duration.ofMillis(30);
    private static final List<String> CHANNELS = List.of(D360, META);
    private static final Map<String, String> NUMBERS = Map.of(D360, SandboxConfig.DEMO_D360_NUMBER_ID,
            META, SandboxConfig.DEMO_META_NUMBER_ID);
    /** The children live seconds: C2 compilation would cost more CPU than it saves on a small machine. */
    private static final List<String> WORKER_JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");

    private final String campaign = "crash-" + UUID.randomUUID().toString().substring(0, 6);
    private final Set<String> expected = new HashSet<>();
    private final List<String> largeJobs = new ArrayList<>();
    private long nextNumber = 100_000_000;

    @Test
    void aWorkerKilledMidDownloadOfLargeMediaLosesNothingDuplicatesNothingLeavesNoSpoolFilesAndUploadsOnce()
            throws Exception {
        try (UploadStack stack = UploadStack.withoutWorker("crash", Map.of())) {
            String largeSha = UploadStack.sha256(UploadStack.pdf(stack.workDir.resolve("handbook.pdf"), LARGE));
            stack.origin.register("/docs/handbook.pdf", Route.file(stack.workDir.resolve("handbook.pdf"),
                    "application/pdf").withHeader("Cache-Control", "max-age=3600").withThrottle(ORIGIN_BYTES_PER_SECOND));
            Map<String, String> imageShas = new LinkedHashMap<>();
            for (int i = 0; i < IMAGES; i++) {
                byte[] image = UploadStack.uniqueJpeg("crash-" + i);
                String path = "/img/banner-" + i + ".jpg";
                stack.origin.register(path, Route.bytes(image, "image/jpeg").withHeader("Cache-Control", "max-age=3600"));
                imageShas.put(path, UploadStack.sha256(image));
            }
            List<ObjectNode> mediaJobs = mediaJobs(stack.origin, imageShas.keySet());
            List<ObjectNode> textJobs = textJobs();
            assertThat(expected).hasSize(RECIPIENTS);
            stack.publish(mediaJobs);

            Path spool = stack.workDir.resolve("spool");
            Map<String, String> config = childConfig(stack, spool);
            ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
            try {
                long begin = System.nanoTime();
                CompletableFuture<Void> published;
                Path largest;
                long downloadAt;
                long atKill;
                int readyAtKill;
                List<Path> leftBehind;
                String firstLog;
                try (ChildWorker first = ChildWorker.start(stack.workDir.resolve("run-1"), WORKER_JVM, config)) {
                    awaitSpoolFile(first, spool, 1L << 20, "the large document's download started");
                    downloadAt = millisSince(begin);
                    // From here text jobs keep arriving, across the kill and the restart.
                    published = publishPaced(stack, publisher, textJobs);
                    largest = awaitSpoolFile(first, spool, LARGE / 4, "a quarter of the large document spooled");
                    long seen = Files.size(largest);
                    await("the spool file growing").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                            .until(() -> Files.size(largest) > seen);
                    assertThat(stack.uploadsOf(largeSha)).as("nothing of the large document uploaded yet").isEmpty();
                    readyAtKill = stack.outputs().readyCount(campaign);
                    first.kill();
                    atKill = Files.size(largest);
                    firstLog = first.log();
                    leftBehind = UploadStack.spoolFiles(spool);
                }
                long killedAt = millisSince(begin);
                assertThat(leftBehind).as("the killed worker left its partial spool files").contains(largest)
                        .allSatisfy(p -> assertThat(p.getFileName().toString()).endsWith(".part"));
                assertThat(atKill).isLessThan(LARGE);
                assertThat(stack.uploadsOf(largeSha)).as("the kill came before any upload of the large document")
                        .isEmpty();
                Set<String> cachedAtKill = stack.mediaCache().values().stream()
                        .map(e -> e.channel() + "/" + e.sha256()).collect(Collectors.toSet());
                Map<String, Long> imageUploadsAtKill = uploadsPerChannel(stack, imageShas.values());

                try (ChildWorker second = ChildWorker.start(stack.workDir.resolve("run-2"), WORKER_JVM, config)) {
                    await("the killed run's spool files deleted").atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(20)).failFast("the worker died", () -> !second.alive())
                            .until(() -> leftBehind.stream().noneMatch(Files::exists));
                    long cleanedAt = millisSince(begin);
                    awaitEveryRecipient(stack, second);
                    published.get(10, TimeUnit.SECONDS);
                    long allReadyAt = millisSince(begin);
                    await("the spool directory empty").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                            .until(() -> UploadStack.spoolFiles(spool).isEmpty());
                    String secondLog = second.log();
                    second.close();
                    assertThat(second.exitCode()).as("SIGTERM drains and exits 0; log:%n%s", second.log()).isZero();
                    stack.outputs().awaitCaughtUp(Duration.ofSeconds(30));

                    List<ReadyJob> ready = stack.outputs().ready(campaign);
                    Map<String, Long> perJob = ready.stream()
                            .collect(Collectors.groupingBy(ReadyJob::jobId, Collectors.counting()));
                    Set<String> missing = new HashSet<>(expected);
                    missing.removeAll(perJob.keySet());
                    Map<String, Long> duplicated = new TreeMap<>(perJob);
                    duplicated.values().removeIf(n -> n == 1);
                    Map<String, Long> largeUploads = new TreeMap<>();
                    CHANNELS.forEach(c -> largeUploads.put(c, stack.uploadsOf(largeSha, NUMBERS.get(c))));
                    Map<String, Long> imageUploads = uploadsPerChannel(stack, imageShas.values());
                    long imageRepeats = imageUploads.values().stream().mapToLong(n -> n - 1).sum();

                    FIGURES.info(String.format("[figure] upload worker SIGKILLed mid-download of a %d MB document "
                                    + "(origin %d MB/s, one download per channel): %,d recipients in %d jobs; first process "
                                    + "spooling it at %d ms, killed at %d ms with %.1f of %d MB spooled, %,d ready jobs committed, %d spool file(s) left "
                                    + "behind; new process deleted them at %d ms, every recipient ready at %d ms; "
                                    + "committed ready jobs %,d, distinct %,d, missing %d, duplicated %d; large document "
                                    + "uploads per channel %s, origin requests %d; small images in wa.media-cache at the "
                                    + "kill %d of %d, uploaded before the kill %s, uploads per channel and image at the "
                                    + "end %s (repeats %d); spool files at the end %d",
                            LARGE >> 20, ORIGIN_BYTES_PER_SECOND >> 20, RECIPIENTS, mediaJobs.size() + textJobs.size(),
                            downloadAt, killedAt, atKill / 1048576.0, LARGE >> 20, readyAtKill, leftBehind.size(), cleanedAt,
                            allReadyAt, ready.size(), perJob.size(), missing.size(), duplicated.size(), largeUploads,
                            stack.origin.requestCount("/docs/handbook.pdf"), cachedAtKill.size(),
                            IMAGES * CHANNELS.size(), imageUploadsAtKill.values(), imageUploads.values(),
                            imageRepeats, UploadStack.spoolFiles(spool).size()));

                    assertThat(missing).as("recipients without a committed ready job").isEmpty();
                    assertThat(duplicated).as("recipients with more than one committed ready job").isEmpty();
                    assertThat(perJob.keySet()).as("ready jobs of the campaign").isEqualTo(expected);
                    assertThat(stack.outputs().results(campaign)).as("results (failures) of the campaign").isEmpty();
                    assertThat(nothingLeftToRedeliver(stack)).as("the group's offsets are at the end of wa.jobs")
                            .isTrue();
                    assertThat(secondLog).as("the new process deletes the partial files at start")
                            .contains("deleted left-over spool file " + largest.getFileName());
                    assertThat(firstLog + secondLog).doesNotContain("OutOfMemoryError");
                    assertThat(UploadStack.spoolFiles(spool)).as("spool files at the end").isEmpty();
                    for (String channel : CHANNELS) {
                        List<StoredMedia> uploads = stack.uploadsOf(largeSha).stream()
                                .filter(u -> u.number().equals(NUMBERS.get(channel))).toList();
                        assertThat(uploads).as("uploads of the large document on %s", channel).hasSize(1);
                        assertThat(ready.stream().filter(r -> r.channel().equals(channel)
                                        && largeJobs.contains(r.jobId().substring(0, r.jobId().indexOf('/')))))
                                .as("the large document's ready jobs on %s carry its one id", channel)
                                .hasSize(LARGE_JOBS_PER_CHANNEL * LARGE_JOB_RECIPIENTS)
                                .allSatisfy(r -> assertThat(r.message().path("document").path("id").asText())
                                        .isEqualTo(uploads.get(0).id()));
                    }
                    for (String cached : cachedAtKill) {
                        if (imageUploads.containsKey(cached)) {
                            assertThat(imageUploads.get(cached)).as("uploads of %s, in the cache at the kill", cached)
                                    .isEqualTo(1);
                        }
                    }
                    assertThat(imageUploads.values()).as("uploads per channel and image").allMatch(n -> n >= 1);
                }
            } finally {
                publisher.shutdownNow();
            }
        }
    }

    /** The child's configuration: the stack's, a registry file, a stable transactional id, a 6 s session. */
    private static Map<String, String> childConfig(UploadStack stack, Path spool) throws IOException {
        Map<String, String> config = new HashMap<>(stack.workerValues(spool));
        config.put("channels.file", stack.registryFile(Files.createDirectories(stack.workDir.resolve("registry")))
                .toString());
        config.put("transactional.id", stack.groupId + "-0");
        // A killed member's partitions wait for its session to expire: the broker's minimum, not the 45 s default.
        config.put("kafka.session.timeout.ms", "6000");
        config.put("kafka.heartbeat.interval.ms", "1000");
        config.put("media.download.timeout.ms", "60000");
        return config;
    }

    /** The large document's jobs, then the small images' jobs, alternating channels; every recipient distinct. */
    private List<ObjectNode> mediaJobs(MediaOrigin origin, Set<String> imagePaths) {
        List<ObjectNode> jobs = new ArrayList<>();
        for (int j = 0; j < LARGE_JOBS_PER_CHANNEL; j++) {
            for (String channel : CHANNELS) {
                String id = campaign + "-doc-" + channel + "-" + j;
                largeJobs.add(id);
                jobs.add(batch(id, channel, LARGE_JOB_RECIPIENTS,
                        TestJobs.document(origin.url("/docs/handbook.pdf"), null)));
            }
        }
        int i = 0;
        for (String path : imagePaths) {
            for (int j = 0; j < IMAGE_JOBS_PER_CHANNEL; j++) {
                for (String channel : CHANNELS) {
                    jobs.add(batch(campaign + "-img" + i + "-" + channel + "-" + j, channel, BATCH,
                            TestJobs.image(origin.url(path))));
                }
            }
            i++;
        }
        return jobs;
    }

    /** Text jobs of {@link #BATCH} recipients up to {@link #RECIPIENTS} in all. */
    private List<ObjectNode> textJobs() {
        List<ObjectNode> jobs = new ArrayList<>();
        int left = RECIPIENTS - expected.size();
        for (int j = 0; left > 0; j++) {
            int count = Math.min(BATCH, left);
            jobs.add(batch(campaign + "-text-" + j, CHANNELS.get(j % CHANNELS.size()), count,
                    TestJobs.text("Your order has shipped.")));
            left -= count;
        }
        return jobs;
    }

    private ObjectNode batch(String jobId, String channel, int count, ObjectNode message) {
        for (int i = 0; i < count; i++) {
            expected.add(jobId + "/" + i);
        }
        ObjectNode job = TestJobs.batch(jobId, campaign, channel, count, nextNumber, message);
        nextNumber += count;
        return job;
    }

    /** Publishes one job every {@link #TEXT_PACE}; completes when all are acknowledged. */
    private static CompletableFuture<Void> publishPaced(UploadStack stack, ScheduledExecutorService publisher,
                                                        List<ObjectNode> jobs) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Iterator<ObjectNode> next = jobs.iterator();
        publisher.scheduleAtFixedRate(() -> {
            if (done.isDone()) {
                return;
            }
            try {
                stack.publish(next.next());
                if (!next.hasNext()) {
                    done.complete(null);
                }
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        }, 0, TEXT_PACE.toMillis(), TimeUnit.MILLISECONDS);
        return done;
    }

    /** Waits for a spool file of at least {@code size} bytes (only the large document gets that big). */
    private static Path awaitSpoolFile(ChildWorker worker, Path spool, long size, String what) {
        try {
            return await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .failFast("the worker died", () -> !worker.alive())
                    .until(() -> largest(spool), p -> p != null && sizeOf(p) >= size);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; the worker's log:\n" + worker.log(), e);
        }
    }

    private static Path largest(Path spool) {
        return UploadStack.spoolFiles(spool).stream().max(Comparator.comparingLong(UploadCrashIT::sizeOf)).orElse(null);
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1; // deleted meanwhile
        }
    }

    private int distinctReady(UploadStack stack) {
        return (int) stack.outputs().ready(campaign).stream().map(ReadyJob::jobId).distinct().count();
    }

    private void awaitEveryRecipient(UploadStack stack, ChildWorker worker) {
        try {
            await("a ready job for every recipient").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .failFast("the worker died", () -> !worker.alive())
                    .failFast("a job failed", () -> !stack.outputs().results(campaign).isEmpty())
                    .until(() -> distinctReady(stack) >= RECIPIENTS);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + ": " + distinctReady(stack) + " of " + RECIPIENTS
                    + " recipients ready; the worker's log:\n" + worker.log(), e);
        }
    }

    /** Uploads at the sandbox per {@code <channel>/<sha256>} of these bytes, on every channel. */
    private static Map<String, Long> uploadsPerChannel(UploadStack stack, Iterable<String> shas) {
        Map<String, Long> counts = new TreeMap<>();
        for (String sha : shas) {
            for (String channel : CHANNELS) {
                counts.put(channel + "/" + sha, stack.uploadsOf(sha, NUMBERS.get(channel)));
            }
        }
        return counts;
    }

    /** Whether the worker group's committed offsets are at the end of every partition of {@code wa.jobs}. */
    private static boolean nothingLeftToRedeliver(UploadStack stack) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = KafkaTestBroker.admin()
                .listConsumerGroupOffsets(stack.groupId).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> probe = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = probe.partitionsFor(stack.topics.jobs(), Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            Map<TopicPartition, Long> ends = probe.endOffsets(partitions, Duration.ofSeconds(30));
            return ends.entrySet().stream().allMatch(e -> committed.containsKey(e.getKey())
                    && committed.get(e.getKey()).offset() >= e.getValue());
        }
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
