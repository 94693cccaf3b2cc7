package io.wabatch.upload;

import static io.wabatch.upload.UploadStack.D360;
import static io.wabatch.upload.UploadStack.META;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.sandbox.api.SandboxConfig;
import io.wabatch.sandbox.origin.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Media are uploaded once per channel however many recipients and jobs need them: a campaign's
 * 10,000 recipients as batches or as separate jobs, 100 jobs waiting together on a stalling
 * origin (single flight), and two links serving the same bytes (hash dedupe).
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
@Tag("slow")
class MediaReuseIT {

    private static final org.slf4j.Logger FIGURES = org.slf4j.LoggerFactory.getLogger("figures");

    private static final Map<String, String> NUMBER_OF = Map.of(D360, SandboxConfig.DEMO_D360_NUMBER_ID,
            META, SandboxConfig.DEMO_META_NUMBER_ID);
    private static UploadStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = UploadStack.start("reuse", Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    /** 10,000 recipients as 10 batch jobs of 1,000, or as 100 jobs of 100. */
    enum Shape {
        TEN_BATCHES_OF_1000(10, 1_000, 1_000_000),
        HUNDRED_JOBS_OF_100(100, 100, 2_000_000);

        final int jobs;
        final int recipients;
        final long firstNumber;

        Shape(int jobs, int recipients, long firstNumber) {
            this.jobs = jobs;
            this.recipients = recipients;
            this.firstNumber = firstNumber;
        }
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void tenThousandRecipientsOfOneImageAreServedByOneUploadPerChannel(Shape shape) {
        byte[] image = UploadStack.uniqueJpeg(shape.name());
        String sha = UploadStack.sha256(image);
        String path = "/reuse-" + shape.name().toLowerCase(Locale.ROOT) + ".jpg";
        stack.origin.register(path, Route.bytes(image, "image/jpeg"));
        String campaign = "reuse-" + shape.jobs + "x" + shape.recipients + "-"
                + UUID.randomUUID().toString().substring(0, 6);
        List<ObjectNode> jobs = new ArrayList<>();
        for (String channel : List.of(D360, META)) {
            long first = shape.firstNumber + (channel.equals(META) ? 500_000 : 0);
            for (int j = 0; j < shape.jobs; j++) {
                jobs.add(TestJobs.batch(campaign + "-" + channel + "-" + j, campaign + "-" + channel, channel,
                        shape.recipients, first + (long) j * shape.recipients,
                        TestJobs.image(stack.origin.url(path))));
            }
        }

        Map<String, Long> statsBefore = uploadStats();
        long started = System.nanoTime();
        stack.publish(jobs);
        Map<String, Long> millisToAll = new HashMap<>();
        await("10,000 ready jobs on each channel").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    for (String channel : List.of(D360, META)) {
                        if (!millisToAll.containsKey(channel)
                                && stack.outputs().readyCount(campaign + "-" + channel) >= 10_000) {
                            millisToAll.put(channel, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                        }
                    }
                    return millisToAll.size() == 2;
                });
        FIGURES.info(String.format("[figure] 10,000 recipients of one image as %d jobs x %d, per channel (both channels at "
                + "once): %s ms until the 10,000th ready job; %d ms for both", shape.jobs, shape.recipients,
                millisToAll, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));

        for (String channel : List.of(D360, META)) {
            List<ReadyJob> ready = stack.outputs().ready(campaign + "-" + channel);
            assertThat(ready).hasSize(10_000);
            assertThat(ready.stream().map(ReadyJob::jobId).distinct()).hasSize(10_000);
            assertThat(ready.stream().map(ReadyJob::to).distinct()).hasSize(10_000);
            assertThat(ready.stream().map(r -> r.message().path("image").path("id").asText()).distinct())
                    .as("every recipient on %s gets the same media id", channel).hasSize(1);
            assertThat(ready).allSatisfy(r -> assertThat(r.message().path("image").has("link")).isFalse());
            assertThat(stack.uploadsOf(sha, NUMBER_OF.get(channel))).as("uploads of the image on %s", channel)
                    .isEqualTo(1);
            assertThat(uploadStats().get(channel) - statsBefore.get(channel))
                    .as("sandbox stats: uploads on %s", channel).isEqualTo(1);
            assertThat(stack.outputs().results(campaign + "-" + channel)).as("no failures").isEmpty();
        }
        assertThat(stack.origin.requestCount(path)).as("one download per channel").isEqualTo(2);
        assertThat(stack.worker().failure()).isNull();
    }

    @Test
    void hundredJobsWaitingOnAStallingOriginShareOneDownloadAndOneUpload() {
        byte[] image = UploadStack.uniqueJpeg("stall");
        String sha = UploadStack.sha256(image);
        stack.origin.register("/stall.jpg", Route.bytes(image, "image/jpeg").withDelay(Duration.ofSeconds(2)));
        String campaign = "stall-" + UUID.randomUUID().toString().substring(0, 6);
        List<ObjectNode> jobs = new ArrayList<>();
        for (int j = 0; j < 100; j++) {
            jobs.add(TestJobs.batch(campaign + "-" + j, campaign, D360, 100, 3_000_000L + j * 100L,
                    TestJobs.image(stack.origin.url("/stall.jpg"))));
        }
        double joinsBefore = singleFlightJoins();
        long statsBefore = uploadStats().get(D360);

        stack.publish(jobs);
        await("100 jobs in flight while the origin stalls").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> stack.inFlightGauge() >= 100 && stack.origin.requestCount("/stall.jpg") == 1
                        && stack.uploadsOf(sha).isEmpty());

        List<ReadyJob> ready = stack.outputs().awaitReady(campaign, 10_000, Duration.ofSeconds(90));
        assertThat(ready).hasSize(10_000);
        assertThat(ready.stream().map(r -> r.message().path("image").path("id").asText()).distinct()).hasSize(1);
        assertThat(stack.origin.requestCount("/stall.jpg")).as("GETs at the origin").isEqualTo(1);
        assertThat(stack.uploadsOf(sha)).as("uploads at the sandbox").hasSize(1);
        assertThat(uploadStats().get(D360) - statsBefore).as("sandbox stats: uploads").isEqualTo(1);
        assertThat(singleFlightJoins() - joinsBefore).as("jobs that joined the download under way")
                .isGreaterThanOrEqualTo(99);
        assertThat(stack.worker().failure()).isNull();
    }

    /**
     * Single flight across campaigns: a link the origin lets everyone cache ({@code max-age}) is the
     * same media for every job, so concurrent jobs of different campaigns wait for one download and
     * one upload too (only links without caching headers are campaign-scoped).
     */
    @Test
    void concurrentJobsOfDifferentCampaignsShareOneDownloadAndUploadOfACacheableLink() {
        byte[] image = UploadStack.uniqueJpeg("cross-campaign");
        stack.origin.register("/cross-campaign.jpg", Route.bytes(image, "image/jpeg")
                .withHeader("Cache-Control", "max-age=600").withDelay(Duration.ofSeconds(1)));
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<ObjectNode> jobs = new ArrayList<>();
        for (int c = 0; c < 5; c++) {
            jobs.add(TestJobs.single("cross-" + c + "-" + run, "cross-" + c + "-" + run, META, 4_100_000L + c,
                    TestJobs.image(stack.origin.url("/cross-campaign.jpg"))));
        }

        stack.publish(jobs);
        List<String> ids = new ArrayList<>();
        for (int c = 0; c < 5; c++) {
            ids.add(stack.outputs().awaitReadyJob("cross-" + c + "-" + run, "cross-" + c + "-" + run)
                    .message().path("image").path("id").asText());
        }
        SoftAssertions.assertSoftly(soft -> {
            soft.assertThat(stack.origin.requestCount("/cross-campaign.jpg")).as("GETs at the origin").isEqualTo(1);
            soft.assertThat(stack.uploadsOf(UploadStack.sha256(image))).as("uploads at the sandbox").hasSize(1);
            soft.assertThat(ids).as("one media id for all").containsOnly(ids.get(0));
        });
    }

    @Test
    void twoLinksServingTheSameBytesShareOneUpload() {
        byte[] image = UploadStack.uniqueJpeg("same-bytes");
        String sha = UploadStack.sha256(image);
        stack.origin.register("/same-a.jpg", Route.bytes(image, "image/jpeg"));
        stack.origin.register("/same-b.jpg", Route.bytes(image, "image/jpeg"));
        String campaign = "same-bytes-" + UUID.randomUUID().toString().substring(0, 6);

        stack.publish(TestJobs.single(campaign + "-a", campaign + "-a", META, 4_000_001,
                TestJobs.image(stack.origin.url("/same-a.jpg"))));
        ReadyJob first = stack.outputs().awaitOneReady(campaign + "-a");
        stack.publish(TestJobs.single(campaign + "-b", campaign + "-b", META, 4_000_002,
                TestJobs.image(stack.origin.url("/same-b.jpg"))));
        ReadyJob second = stack.outputs().awaitOneReady(campaign + "-b");

        assertThat(stack.origin.requestCount("/same-a.jpg")).isEqualTo(1);
        assertThat(stack.origin.requestCount("/same-b.jpg")).as("the second link is downloaded and hashed")
                .isEqualTo(1);
        assertThat(second.media().get(0).mediaId()).isEqualTo(first.media().get(0).mediaId());
        assertThat(second.media().get(0).sha256()).isEqualTo(sha);
        assertThat(stack.uploadsOf(sha)).as("uploads of those bytes").hasSize(1);
    }

    /** The sandbox's upload count per channel. */
    private static Map<String, Long> uploadStats() {
        return Map.of(D360, stack.sandbox.stats(NUMBER_OF.get(D360)).uploads(),
                META, stack.sandbox.stats(NUMBER_OF.get(META)).uploads());
    }

    private static double singleFlightJoins() {
        Counter joins = stack.meters.find("wabatch.upload.singleflight.joins").counter();
        return joins == null ? 0 : joins.count();
    }
}
