package io.wabatch.ops.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * JDK Flight Recorder over the measured window of the {@code ceiling} run: {@code jcmd JFR.start}
 * in each worker at the start, {@code JFR.stop} (which writes the file) at the end, then the
 * execution samples counted by their top frame: each worker's hottest methods with their share of
 * the samples. The recordings stay in the bench's working directory until it is deleted.
 */
final class Profiler {

    private static final int TOP = 15;
    private final Path dir;
    private final Map<String, ChildJvm> workers = new LinkedHashMap<>();

    private Profiler(Path dir) {
        this.dir = dir;
    }

    static Profiler start(Path dir, ChildJvm upload, ChildJvm sender) {
        Profiler profiler = new Profiler(dir);
        profiler.workers.put("upload_worker", upload);
        profiler.workers.put("sender_worker", sender);
        profiler.workers.forEach((name, jvm) -> jcmd(jvm, "JFR.start", "name=bench", "settings=profile"));
        return profiler;
    }

    /** Stops the recordings and returns, per worker, its hottest methods ({@code method}, {@code share}). */
    ObjectNode stop() throws IOException {
        ObjectNode result = Json.mapper().createObjectNode();
        for (Map.Entry<String, ChildJvm> worker : workers.entrySet()) {
            Path file = dir.resolve(worker.getKey() + ".jfr");
            jcmd(worker.getValue(), "JFR.stop", "name=bench", "filename=" + file);
            ArrayNode list = result.putArray(worker.getKey());
            if (Files.exists(file)) {
                hottest(file).forEach(entry -> list.addObject().put("method", entry.getKey())
                        .put("share", BenchReport.round(entry.getValue())));
            }
        }
        return result;
    }

    /** Top frames of the execution samples, by share of all samples, most frequent first. */
    static List<Map.Entry<String, Double>> hottest(Path recording) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        int total = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null
                        || event.getStackTrace().getFrames().isEmpty()) {
                    continue;
                }
                RecordedFrame top = event.getStackTrace().getFrames().get(0);
                counts.merge(top.getMethod().getType().getName() + "." + top.getMethod().getName(), 1, Integer::sum);
                total++;
            }
        }
        int all = Math.max(1, total);
        List<Map.Entry<String, Double>> shares = new ArrayList<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                .limit(TOP).forEach(e -> shares.add(Map.entry(e.getKey(), e.getValue() / (double) all)));
        return shares;
    }

    private static void jcmd(ChildJvm jvm, String... command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        List<String> line = new ArrayList<>(List.of(jcmd.toString(), Long.toString(jvm.pid())));
        line.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", line) + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + jcmd + " (a JDK, not a JRE, is needed for --profile)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
