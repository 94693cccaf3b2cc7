package io.wabatch.upload;

import static io.wabatch.upload.UploadStack.D360;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.sandbox.origin.MediaOrigin;
import io.wabatch.sandbox.origin.Route;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A heavy upload does not hold up the jobs behind it in its partition: a 16 MB video from an
 * origin throttled to 1 MB/s heads partition 0 of {@code wa.jobs}, and the 1,000 text jobs behind
 * it (other recipients) are all forwarded before the video is even downloaded.
 */
// Measures rates or time bounds: runs alone, not beside another test class.
@org.junit.jupiter.api.parallel.Isolated
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@Tag("slow")
class NoHeadOfLineBlockingIT {

    private static final org.slf4j.Logger FIGURES = org.slf4j.LoggerFactory.getLogger("figures");

    private static final long VIDEO_BYTES = (16L << 20) - 1024;
    private static final long THROTTLE = 1L << 20;
    private static UploadStack stack;
    private static Path video;

    @BeforeAll
    static void start() throws Exception {
        stack = UploadStack.start("hol", Map.of("media.download.timeout.ms", "90000",
                "media.min.throughput.bytes.per.second", "1024", "media.upload.timeout.ms", "60000"));
        video = paddedVideo(stack.workDir.resolve("big.mp4"));
        stack.origin.register("/big.mp4", Route.file(video, "video/mp4").withThrottle(THROTTLE));
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aThrottledSixteenMegabyteVideoDoesNotDelayTheThousandTextJobsBehindIt() throws IOException {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String videoCampaign = "hol-video-" + run;
        String textCampaign = "hol-text-" + run;
        List<ObjectNode> jobs = new ArrayList<>();
        jobs.add(TestJobs.single(videoCampaign + "-0", videoCampaign, D360, 7_000_000,
                TestJobs.media("video", stack.origin.url("/big.mp4"))));
        for (int i = 1; i <= 1_000; i++) {
            jobs.add(TestJobs.single(textCampaign + "-" + i, textCampaign, D360, 7_000_000L + i,
                    TestJobs.text("text " + i + " behind the video")));
        }

        long started = System.nanoTime();
        stack.publish(0, jobs);
        stack.outputs().awaitReady(textCampaign, 1_000, Duration.ofSeconds(15));
        long textsMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(stack.outputs().readyCount(videoCampaign)).as("the video's ready job is still absent").isZero();
        assertThat(stack.uploadsOf(UploadStack.sha256(video))).as("the video is not uploaded yet").isEmpty();
        assertThat(stack.origin.requestCount("/big.mp4")).as("the video download is under way").isEqualTo(1);
        assertThat(stack.outputs().ready(textCampaign).stream().map(ReadyJob::jobId).distinct()).hasSize(1_000);

        ReadyJob videoReady = stack.outputs().awaitReady(videoCampaign, 1, Duration.ofSeconds(60)).get(0);
        long videoMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        FIGURES.info(String.format("[figure] 1,000 text jobs behind a 16 MB video at 1 MB/s: all texts forwarded after %d ms, "
                + "the video's ready job after %d ms", textsMillis, videoMillis));
        assertThat(videoReady.media().get(0).sha256()).isEqualTo(UploadStack.sha256(video));
        assertThat(videoReady.media().get(0).mimeType()).isEqualTo("video/mp4");
        assertThat(stack.uploadsOf(UploadStack.sha256(video))).hasSize(1);
        assertThat(stack.worker().failure()).isNull();
    }

    /** The bundled sample MP4 (Tika sniffs its head) padded with zeros to 16 MB − 1 KB, written in chunks. */
    private static Path paddedVideo(Path file) throws IOException {
        byte[] sample = MediaOrigin.sample("sample.mp4");
        byte[] zeros = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(sample);
            for (long left = VIDEO_BYTES - sample.length; left > 0; left -= zeros.length) {
                out.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
        }
        assertThat(Files.size(file)).isEqualTo(VIDEO_BYTES);
        return file;
    }
}
