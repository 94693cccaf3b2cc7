package io.wabatch.upload;

import static io.wabatch.upload.UploadStack.D360;
import static org.assertj.core.api.Assertions.assertThat;

import io.wabatch.common.contract.ReadyJob;
import io.wabatch.sandbox.api.SandboxConfig;
import io.wabatch.sandbox.api.media.StoredMedia;
import io.wabatch.sandbox.origin.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A 100 MB document (WhatsApp's document limit) is downloaded and uploaded by a worker JVM whose
 * heap (128 MB) and direct memory (32 MB) are far smaller than the file: neither may grow with the
 * file's size. The child's peak RSS and heap are printed as figures, not asserted.
 */
// Measures rates or time bounds: runs alone, not beside another test class.
@org.junit.jupiter.api.parallel.Isolated
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@Tag("slow")
class LargeDocumentProcessIT {

    private static final org.slf4j.Logger FIGURES = org.slf4j.LoggerFactory.getLogger("figures");

    private static final long SIZE = 100L << 20;
    private static UploadStack stack;
    private static Path pdf;
    private static String pdfSha;

    @BeforeAll
    static void start() throws Exception {
        stack = UploadStack.withoutWorker("large", Map.of());
        pdf = UploadStack.pdf(stack.workDir.resolve("big.pdf"), SIZE);
        pdfSha = UploadStack.sha256(pdf);
        stack.origin.register("/reports/annual-report.pdf", Route.file(pdf, "application/pdf"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aHundredMegabyteDocumentUploadsFromAWorkerWith128MbHeapAnd32MbDirectMemory() throws Exception {
        Path dir = stack.workDir.resolve("child");
        Files.createDirectories(dir);
        Map<String, String> config = new HashMap<>(stack.workerValues(dir.resolve("spool")));
        config.put("channels.file", stack.registryFile(dir).toString());
        config.put("media.download.timeout.ms", "120000");
        config.put("media.upload.timeout.ms", "120000");
        Path gcLog = dir.resolve("gc.log");
        String campaign = "large-" + UUID.randomUUID().toString().substring(0, 6);

        long started = System.nanoTime();
        try (ChildWorker child = ChildWorker.start(dir, List.of("-Xmx128m", "-XX:MaxDirectMemorySize=32m",
                "-Xlog:gc:file=" + gcLog), config)) {
            stack.publish(TestJobs.single(campaign + "-doc", campaign, D360, 8_000_000,
                    TestJobs.document(stack.origin.url("/reports/annual-report.pdf"), null)));
            List<ReadyJob> ready;
            try {
                ready = stack.outputs().awaitReady(campaign, 1, Duration.ofSeconds(150));
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("no ready job; worker log:\n" + child.log(), e);
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            OptionalLong peakRss = child.peakRssKib();
            OptionalLong rss = child.procStatus("VmRSS");

            List<StoredMedia> uploads = stack.uploadsOf(pdfSha);
            assertThat(uploads).as("the sandbox stored the source's bytes").hasSize(1);
            assertThat(uploads.get(0).size()).isEqualTo(SIZE);
            assertThat(uploads.get(0).mime()).isEqualTo("application/pdf");
            assertThat(uploads.get(0).number()).isEqualTo(SandboxConfig.DEMO_D360_NUMBER_ID);
            ReadyJob job = ready.get(0);
            assertThat(job.media().get(0).sha256()).isEqualTo(pdfSha);
            assertThat(job.message().path("document").path("id").asText()).isEqualTo(uploads.get(0).id());
            assertThat(job.message().path("document").path("filename").asText()).isEqualTo("annual-report.pdf");
            assertThat(child.alive()).as("the worker is still running; log:%n%s", child.log()).isTrue();
            assertThat(child.log()).doesNotContain("OutOfMemoryError");
            assertThat(UploadStack.spoolFiles(dir.resolve("spool"))).as("spool file deleted after upload").isEmpty();

            child.close();
            FIGURES.info(String.format("[figure] 100 MB document via a child JVM (-Xmx128m -XX:MaxDirectMemorySize=32m): "
                            + "ready after %d ms (JVM start included); peak RSS (VmHWM) %s MiB, RSS at the end %s MiB, "
                            + "peak heap before a GC %s MiB; exit code on SIGTERM %s", millis,
                    peakRss.isPresent() ? peakRss.getAsLong() / 1024 : "n/a",
                    rss.isPresent() ? rss.getAsLong() / 1024 : "n/a",
                    ChildWorker.peakHeapMib(gcLog).isPresent() ? ChildWorker.peakHeapMib(gcLog).getAsLong() : "n/a",
                    child.exitCode()));
            assertThat(child.log()).as("worker log").doesNotContain("OutOfMemoryError")
                    .as("SIGTERM drains and closes the worker").contains("upload worker stopped");
        }
    }
}
