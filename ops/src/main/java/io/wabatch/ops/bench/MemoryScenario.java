package io.wabatch.ops.bench;

import io.wabatch.common.contract.Outcome;
import io.wabatch.sandbox.api.Latency;
import io.wabatch.sandbox.api.SandboxServer;
import io.wabatch.sandbox.origin.MediaOrigin;
import io.wabatch.sandbox.origin.Route;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Memory under large uploads: {@code documents} documents of {@code document-mb} MB each (20 of
 * 100 MB by default), each behind its own link, published at once to an upload worker limited to
 * {@code -Xmx256m}. Every document must reach the API (uploaded, then sent by media id); the upload
 * worker's peak heap in use (sampled from its /metrics) and peak RSS (the kernel's VmHWM) are
 * reported. The documents stream through the spool directory, never through the heap.
 */
final class MemoryScenario implements Scenario {

    private static final Logger LOG = LoggerFactory.getLogger("io.wabatch.bench");
    static final String HEAP = "-Xmx256m";

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public BenchReport run(BenchEnv env, BenchOptions options) throws Exception {
        List<BenchChannel> channels = List.of(new BenchChannel("memory", 0, 1_000));
        BenchReport report = new BenchReport(name(), options.durationSeconds());
        report.features().put("upload_worker_heap", HEAP).put("documents", options.documents())
                .put("document_mb", options.documentMb());
        // Distinct bytes each: identical files would share one upload (same SHA-256), and only one would stream to the API.
        Path media = env.directory("memory-media");
        List<Path> pdfs = new java.util.ArrayList<>();
        for (int i = 0; i < options.documents(); i++) {
            pdfs.add(pdf(media.resolve("doc-" + i + ".pdf"), (long) options.documentMb() << 20, i));
        }
        try (SandboxServer sandbox = Figures.sandbox(channels, Latency.NONE);
             MediaOrigin origin = MediaOrigin.start();
             Pipeline pipeline = Pipeline.create(env, "memory", channels, sandbox.baseUrl(), 1);
             JobFeed feed = new JobFeed(env.bootstrap(), pipeline.topics().jobs());
             ResultTap results = new ResultTap(env.bootstrap(), pipeline.topics().results(), r -> true)) {
            ChildJvm upload = pipeline.startUploadWorker(Map.of(), List.of(HEAP)).watchHeap();
            pipeline.startSenderWorker(Map.of(), List.of("-Xmx1g"));
            long start = System.nanoTime();
            for (int i = 0; i < options.documents(); i++) {
                String path = "/doc-" + i + ".pdf";
                origin.register(path, Route.file(pdfs.get(i), "application/pdf"));
                feed.publish(JobFeed.single("memory-" + i, "memory", "memory", i,
                        JobFeed.mediaLink("document", origin.url(path))));
            }
            feed.flush();
            Duration timeout = Duration.ofSeconds(120 + 3L * options.documents() * options.documentMb() / 10);
            results.await(options.documents(), timeout);
            double seconds = (System.nanoTime() - start) / 1e9;
            long completed = results.results().stream().filter(r -> r.outcome() == Outcome.ACCEPTED).count();
            double heap = upload.peakHeapMb();
            double rss = upload.peakRssMb();
            LOG.info("memory: {} of {} documents sent in {} s", completed, options.documents(), seconds);
            report.json().put("completed", completed).put("expected", options.documents())
                    .put("peak_heap_mb", BenchReport.round(heap)).put("peak_rss_mb", BenchReport.round(rss))
                    .put("seconds", BenchReport.round(seconds))
                    .put("api_uploads", sandbox.stats(channels.get(0).numberId()).uploads());
            report.row("documents sent", completed + " / " + options.documents(), "all",
                    completed == options.documents());
            report.row("upload worker peak heap in use (MB)", BenchReport.format(heap), null, null);
            report.row("upload worker peak RSS (MB)", BenchReport.format(rss), "< 512", rss > 0 && rss < 512);
            report.row("seconds to send all", BenchReport.format(seconds), null, null);
            long uploads = sandbox.stats(channels.get(0).numberId()).uploads();
            report.row("uploads to /media", uploads + " / " + options.documents(), "all", uploads == options.documents());
        }
        return report;
    }

    /** A valid-looking PDF of {@code size} bytes: header, a comment naming {@code n}, comment-line padding, trailer. */
    static Path pdf(Path file, long size, int n) throws IOException {
        byte[] header = ("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n%document " + n + "\n").getBytes(StandardCharsets.ISO_8859_1);
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
        return file;
    }
}
