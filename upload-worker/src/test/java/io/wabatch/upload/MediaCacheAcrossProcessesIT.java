package io.wabatch.upload;

import static io.wabatch.upload.UploadStack.META;
import static org.assertj.core.api.Assertions.assertThat;

import io.wabatch.common.contract.ReadyJob;
import io.wabatch.sandbox.api.SandboxConfig;
import io.wabatch.sandbox.origin.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
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
 * The media-id cache lives in the compacted {@code wa.media-cache} topic, not in a worker: a new
 * worker JVM with an empty working directory, a new spool directory and another group member
 * restores it and reuses the id of fresh media without downloading or uploading again.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@Tag("slow")
class MediaCacheAcrossProcessesIT {

    private static UploadStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = UploadStack.start("restore", Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aNewWorkerProcessReusesTheCachedIdOfFreshMedia() throws Exception {
        byte[] image = UploadStack.uniqueJpeg("restore");
        String sha = UploadStack.sha256(image);
        stack.origin.register("/fresh.jpg",
                Route.bytes(image, "image/jpeg").withHeader("Cache-Control", "max-age=3600"));
        String link = stack.origin.url("/fresh.jpg");
        String first = "restore-1-" + UUID.randomUUID().toString().substring(0, 6);
        stack.publish(TestJobs.single(first + "-job", first, META, 9_000_001, TestJobs.image(link)));
        ReadyJob uploaded = stack.outputs().awaitReadyJob(first, first + "-job");
        assertThat(stack.uploadsOf(sha)).hasSize(1);
        long uploadsBefore = stack.sandbox.stats(SandboxConfig.DEMO_META_NUMBER_ID).uploads();
        stack.stopWorker();

        Path dir = Files.createDirectories(stack.workDir.resolve("new-process"));
        Map<String, String> config = new HashMap<>(stack.workerValues(dir.resolve("spool")));
        Path registryDir = Files.createDirectories(stack.workDir.resolve("registry"));
        config.put("channels.file", stack.registryFile(registryDir).toString());
        config.put("kafka.group.instance.id", "upload-it-child-" + UUID.randomUUID());
        String second = "restore-2-" + UUID.randomUUID().toString().substring(0, 6);
        try (ChildWorker child = ChildWorker.start(dir, List.of("-Xmx256m"), config)) {
            stack.publish(TestJobs.single(second + "-job", second, META, 9_000_002, TestJobs.image(link)));
            List<ReadyJob> ready;
            try {
                ready = stack.outputs().awaitReady(second, 1, Duration.ofSeconds(90));
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("no ready job from the new process; its log:\n" + child.log(), e);
            }
            assertThat(ready.get(0).message().path("image").path("id").asText())
                    .as("the new process reuses the cached id")
                    .isEqualTo(uploaded.message().path("image").path("id").asText());
            assertThat(stack.sandbox.stats(SandboxConfig.DEMO_META_NUMBER_ID).uploads()).as("no re-upload")
                    .isEqualTo(uploadsBefore);
            assertThat(stack.uploadsOf(sha)).hasSize(1);
            assertThat(stack.origin.requestCount("/fresh.jpg")).as("fresh: not even downloaded again").isEqualTo(1);
            assertThat(child.log()).contains("media cache restored");
        }
    }
}
