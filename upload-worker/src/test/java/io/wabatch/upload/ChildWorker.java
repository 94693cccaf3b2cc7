package io.wabatch.upload;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabatch.common.config.ConfigSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The upload worker as its own JVM, run from the shaded jar ({@code mvn package} builds it before
 * failsafe runs) as an operator would: configured only by {@code WABATCH_*} environment variables,
 * output in a log file. {@link #close()} sends SIGTERM and waits; {@link #kill()} sends SIGKILL.
 */
final class ChildWorker implements AutoCloseable {

    private static final Pattern GC_HEAP = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private final Process process;
    private final Path log;
    private Integer exitCode;

    private ChildWorker(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** The built jar; fails the test with the fix when it is missing. */
    static Path jar() {
        Path jar = Path.of("target", "wabatch-upload-worker.jar").toAbsolutePath();
        assertThat(jar).as("run 'mvn package' first: this test starts the built worker jar").exists();
        return jar;
    }

    /**
     * Starts the worker jar in {@code dir} (its working directory, log {@code worker.log}).
     *
     * @param jvmOptions e.g. {@code -Xmx128m}
     * @param config     worker configuration keys, passed as {@code WABATCH_*} variables
     */
    static ChildWorker start(Path dir, List<String> jvmOptions, Map<String, String> config) throws IOException {
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar().toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Path log = dir.resolve("worker.log");
        builder.redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("WABATCH_"));
        config.forEach((key, value) -> builder.environment().put(ConfigSources.variableOf(key), value));
        // Several children (and other builds) run side by side: the metrics endpoint takes any free port.
        builder.environment().putIfAbsent(ConfigSources.variableOf("ops.port"), "0");
        return new ChildWorker(builder.start(), log);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Peak resident set size in KiB ({@code VmHWM} of {@code /proc/<pid>/status}), if readable. */
    OptionalLong peakRssKib() {
        return procStatus("VmHWM");
    }

    /** A {@code kB} field of {@code /proc/<pid>/status}. */
    OptionalLong procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("\\D", "")));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return OptionalLong.empty();
    }

    /** The largest heap occupancy before a collection in a {@code -Xlog:gc:file=...} log, in MiB. */
    static OptionalLong peakHeapMib(Path gcLog) throws IOException {
        if (!Files.exists(gcLog)) {
            return OptionalLong.empty();
        }
        long peak = -1;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = GC_HEAP.matcher(line);
            if (m.find()) {
                peak = Math.max(peak, Long.parseLong(m.group(1)));
            }
        }
        return peak < 0 ? OptionalLong.empty() : OptionalLong.of(peak);
    }

    /** The exit code after {@link #close()}. */
    Integer exitCode() {
        return exitCode;
    }

    /** SIGKILL: the process dies at once, without draining, committing or deleting anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the worker survived SIGKILL");
        }
        exitCode = process.exitValue();
    }

    /** SIGTERM, then wait for the drain and exit (forcibly after 30 s). */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        exitCode = process.exitValue();
    }
}
