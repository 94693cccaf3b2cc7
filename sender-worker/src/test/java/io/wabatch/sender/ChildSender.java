package io.wabatch.sender;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabatch.common.config.ConfigSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The sender worker as its own JVM, run from the shaded jar ({@code mvn package} builds it before
 * failsafe runs) as an operator would: configured only by {@code WABATCH_*} environment variables,
 * output in a log file.
 */
final class ChildSender implements AutoCloseable {

    private final Process process;
    private final Path log;

    private ChildSender(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** The built jar; fails the test with the fix when it is missing. */
    static Path jar() {
        Path jar = Path.of("target", "wabatch-sender-worker.jar").toAbsolutePath();
        assertThat(jar).as("run 'mvn package' first: this test starts the built sender jar").exists();
        return jar;
    }

    /**
     * Starts the jar in {@code dir} (working directory; output to {@code logName}).
     *
     * @param config worker configuration keys, passed as {@code WABATCH_*} variables
     */
    static ChildSender start(Path dir, String logName, Map<String, String> config) throws IOException {
        return start(dir, logName, config, List.of());
    }

    /** As {@link #start(Path, String, Map)} with extra JVM options before {@code -jar}. */
    static ChildSender start(Path dir, String logName, Map<String, String> config, List<String> jvmOptions)
            throws IOException {
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx256m");
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar().toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Path log = dir.resolve(logName);
        builder.redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("WABATCH_"));
        config.forEach((key, value) -> builder.environment().put(ConfigSources.variableOf(key), value));
        // Several children (and other builds) run side by side: the metrics endpoint takes any free port.
        builder.environment().putIfAbsent(ConfigSources.variableOf("ops.port"), "0");
        return new ChildSender(builder.start(), log);
    }

    /** The operating system's process id (the same for the life of this process). */
    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** CPU time the process has used so far. */
    Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** The root of the child's metrics and health endpoint, once it has logged it ({@code http://host:port}). */
    java.util.Optional<java.net.URI> opsEndpoint() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("metrics and health on (http://[^/\\s]+)/")
                .matcher(log());
        return m.find() ? java.util.Optional.of(java.net.URI.create(m.group(1))) : java.util.Optional.empty();
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Sends SIGTERM and waits for the exit; returns the exit code, or fails the test if it hangs. */
    int terminate(Duration atMost) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the sender did not exit within " + atMost + " of SIGTERM; log:\n" + log());
        }
        return process.exitValue();
    }

    /** SIGKILL: the process dies at once, without draining or committing. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the sender survived SIGKILL");
        }
    }

    /** Kills the process if it still runs (clean-up after a failed test). */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
