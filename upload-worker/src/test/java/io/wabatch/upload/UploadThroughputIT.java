package io.wabatch.upload;

import static io.wabatch.upload.UploadStack.D360;
import static io.wabatch.upload.UploadStack.META;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.sandbox.api.media.StoredMedia;
import io.wabatch.sandbox.origin.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Uploads per second with small media: distinct images, each uploaded exactly once. The Meta
 * channel is configured with a high upload rate to measure the worker itself; the 360dialog
 * channel keeps the default pace of 25 uploads per second, which the sandbox's timestamps show.
 */
// Measures rates or time bounds: runs alone, not beside another test class.
@org.junit.jupiter.api.parallel.Isolated
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class UploadThroughputIT {

    private static final org.slf4j.Logger FIGURES = org.slf4j.LoggerFactory.getLogger("figures");

    private static final double UNPACED = 10_000;
    private static UploadStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = UploadStack.start("throughput", Map.of(), UNPACED);
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void twoHundredDistinctSmallImagesAreEachUploadedOnce() {
        Measured m = uploadDistinct(META, 200, 10_000_000);
        FIGURES.info(String.format("[figure] %d distinct small images (%d bytes each) on an unpaced channel: %d ms publish to "
                        + "last ready job = %.1f uploads/s; sandbox saw them over %d ms = %.1f uploads/s", m.count,
                m.bytesEach, m.millis, m.count * 1000.0 / m.millis, m.uploadSpanMillis,
                (m.count - 1) * 1000.0 / Math.max(1, m.uploadSpanMillis)));
    }

    @Test
    void the360dialogChannelIsPacedAtTwentyFiveUploadsPerSecond() {
        Measured m = uploadDistinct(D360, 50, 11_000_000);
        FIGURES.info(String.format("[figure] %d distinct small images on a channel paced at 25 uploads/s: %d ms = %.1f "
                        + "uploads/s; sandbox saw them over %d ms = %.1f uploads/s", m.count, m.millis,
                m.count * 1000.0 / m.millis, m.uploadSpanMillis,
                (m.count - 1) * 1000.0 / Math.max(1, m.uploadSpanMillis)));
        assertThat(m.uploadSpanMillis).as("49 intervals of 40 ms at most 25 uploads/s, some timer slack allowed")
                .isGreaterThanOrEqualTo(1_700);
    }

    private record Measured(int count, int bytesEach, long millis, long uploadSpanMillis) {
    }

    private static Measured uploadDistinct(String channel, int count, long firstNumber) {
        String campaign = "throughput-" + channel + "-" + UUID.randomUUID().toString().substring(0, 6);
        Set<String> shas = new HashSet<>();
        List<ObjectNode> jobs = new ArrayList<>();
        int bytesEach = 0;
        for (int i = 0; i < count; i++) {
            byte[] image = UploadStack.uniqueJpeg(campaign + "-" + i);
            bytesEach = image.length;
            shas.add(UploadStack.sha256(image));
            String path = "/" + campaign + "/" + i + ".jpg";
            stack.origin.register(path, Route.bytes(image, "image/jpeg"));
            jobs.add(TestJobs.single(campaign + "-" + i, campaign, channel, firstNumber + i,
                    TestJobs.image(stack.origin.url(path))));
        }
        long started = System.nanoTime();
        stack.publish(jobs);
        stack.outputs().awaitReady(campaign, count, Duration.ofSeconds(60));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        List<StoredMedia> uploads = stack.sandbox.uploads().stream().filter(u -> shas.contains(u.sha256())).toList();
        assertThat(uploads).as("each image uploaded once").hasSize(count);
        assertThat(uploads.stream().map(StoredMedia::sha256).distinct()).hasSize(count);
        assertThat(stack.outputs().ready(campaign).stream().map(r -> r.message().path("image").path("id").asText())
                .distinct()).hasSize(count);
        long first = uploads.stream().mapToLong(StoredMedia::uploadedAtMs).min().orElseThrow();
        long last = uploads.stream().mapToLong(StoredMedia::uploadedAtMs).max().orElseThrow();
        return new Measured(count, bytesEach, millis, last - first);
    }
}
