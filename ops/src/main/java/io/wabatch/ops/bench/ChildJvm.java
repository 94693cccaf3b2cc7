package io.wabatch.ops.bench;

import io.wabatch.common.config.ConfigSources;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A worker in a JVM of its own, started from this JVM's class path ({@code wabatch.jar} when the
 * bench runs from it) and configured only by {@code WABATCH_*} variables, so its CPU time and
 * memory are its own: CPU from the operating system, peak RSS from {@code /proc/<pid>/status}
 * ({@code VmHWM}), heap in use sampled from its {@code /metrics} on demand ({@link #watchHeap}).
 */
final class ChildJvm implements AutoCloseable {

    private static final Pattern HEAP_USED =
            Pattern.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} (\\S+)$");

    /** The kernel's USER_HZ: 100 on every Linux this runs on. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final String name;
    private final Process process;
    private final Path log;
    private final URI metrics;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final AtomicLong peakHeapBytes = new AtomicLong();
    private final ScheduledExecutorService sampler;
    private final Map<String, Long> compilerTicks = new HashMap<>();
    private long compilerTicksTotal;

    private ChildJvm(String name, Process process, Path log, URI metrics) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.metrics = metrics;
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "bench-sampler-" + name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts {@code wabatch <command>} ({@code upload-worker} or {@code sender-worker}) in {@code dir}.
     *
     * @param config     worker keys, passed as {@code WABATCH_*} variables ({@code ops.port} is chosen here)
     * @param env        further variables (the registry's credentials)
     * @param jvmOptions options before the main class, e.g. {@code -Xmx256m}
     */
    static ChildJvm start(String command, Path dir, Map<String, String> config, Map<String, String> env,
                          List<String> jvmOptions) {
        int opsPort = freePort();
        List<String> line = new ArrayList<>();
        line.add(ProcessHandle.current().info().command().orElse("java"));
        line.addAll(jvmOptions);
        line.add("-cp");
        line.add(absoluteClassPath());
        line.add("io.wabatch.ops.cli.WabatchCli");
        line.add(command);
        Path log = dir.resolve(command + ".log");
        ProcessBuilder builder = new ProcessBuilder(line).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("WABATCH_"));
        config.forEach((key, value) -> builder.environment().put(ConfigSources.variableOf(key), value));
        builder.environment().put(ConfigSources.variableOf("ops.host"), "127.0.0.1");
        builder.environment().put(ConfigSources.variableOf("ops.port"), Integer.toString(opsPort));
        builder.environment().putAll(env);
        try {
            return new ChildJvm(command, builder.start(), log,
                    URI.create("http://127.0.0.1:" + opsPort + "/metrics"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Waits until the worker answers {@code /health/ready} with 200 (in its group, assigned). */
    void awaitReady(Duration timeout) {
        URI ready = metrics.resolve("/health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log:\n" + tail());
            }
            try {
                if (http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(1)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            sleep(100);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + "; log:\n" + tail());
    }

    /**
     * CPU time the JIT compiler threads ({@code C1 CompilerThre…}, {@code C2 CompilerThre…}) have used so
     * far, from {@code /proc/<pid>/task}; zero where /proc is absent. A worker is warm when this stops
     * growing: for the first minutes the compilers take a large share of a small machine. The JVM starts
     * and stops compiler threads on demand, so each thread's growth since the last call is added up (what
     * a thread used between the last call and its end is missed).
     */
    synchronized Duration compilerCpu() {
        Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
        try (var threads = Files.list(tasks)) {
            for (Path task : threads.toList()) {
                try {
                    if (!Files.readString(task.resolve("comm")).contains("CompilerThre")) {
                        continue;
                    }
                    // Fields after the command's closing parenthesis: state is field 3, utime 14, stime 15.
                    String stat = Files.readString(task.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    Long before = compilerTicks.put(task.getFileName().toString(), ticks);
                    compilerTicksTotal += Math.max(0, ticks - (before == null ? 0 : before));
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return Duration.ZERO;
        }
        return Duration.ofMillis(compilerTicksTotal * 1000 / CLOCK_TICKS_PER_SECOND);
    }

    /** CPU time the process has used so far (all its threads). */
    Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /**
     * Samples the heap in use from the worker's {@code /metrics} every 100 ms from now on, for
     * {@link #peakHeapMb}. Only where heap is a figure: a scrape costs the worker CPU.
     */
    ChildJvm watchHeap() {
        sampler.scheduleWithFixedDelay(this::sampleHeap, 0, 100, TimeUnit.MILLISECONDS);
        return this;
    }

    /** The most heap in use seen since {@link #watchHeap}, in MB. */
    double peakHeapMb() {
        return peakHeapBytes.get() / 1_048_576.0;
    }

    /** The peak resident set size the kernel recorded ({@code VmHWM}), in MB; -1 where /proc is absent. */
    double peakRssMb() {
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The last lines of the worker's log. */
    String tail() {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private void sampleHeap() {
        try {
            String text = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            double used = 0;
            Matcher m = HEAP_USED.matcher(text);
            while (m.find()) {
                used += Double.parseDouble(m.group(1));
            }
            long bytes = (long) used;
            peakHeapBytes.accumulateAndGet(bytes, Math::max);
        } catch (IOException | RuntimeException e) {
            // not up yet, or gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, then SIGKILL after 30 s. */
    @Override
    public void close() {
        sampler.shutdownNow();
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** This JVM's class path with every entry absolute: the child runs in another directory. */
    private static String absoluteClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
