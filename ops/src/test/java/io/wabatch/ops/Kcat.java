package io.wabatch.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * kcat (librdkafka), a Kafka client outside the JVM, publishing one record per call. Skips the
 * test where kcat is absent, fails it with {@code WABATCH_REQUIRE_TOOLS=1} (see {@link ExternalTool}).
 */
final class Kcat {

    /** What kcat said: its exit code and its output. */
    record Result(int exit, String output) {
    }

    private final Path program;
    private final Path dir;
    private final String bootstrap;

    private Kcat(Path program, Path dir, String bootstrap) {
        this.program = program;
        this.dir = dir;
        this.bootstrap = bootstrap;
    }

    /** kcat for the broker at {@code bootstrap}, writing its record files in {@code dir}. */
    static Kcat require(Path dir, String bootstrap) {
        return new Kcat(ExternalTool.require("kcat", "apt-get install kcat"), dir, bootstrap);
    }

    /**
     * Publishes one record: a file is one record. kcat skips empty input, so a null value (which
     * needs a key here) is a line {@code <key>:} read with {@code -K:}, whose empty value {@code -Z}
     * sends as null.
     *
     * @param header  {@code name=value}, or null
     * @param options further kcat options
     */
    Result publish(String topic, int partition, byte[] value, String key, String header, String... options)
            throws IOException, InterruptedException {
        Path file = Files.createTempFile(dir, "record-", ".bin");
        List<String> command = new ArrayList<>(List.of(program.toString(), "-P", "-b", bootstrap, "-t", topic,
                "-p", Integer.toString(partition), "-Z"));
        if (header != null) {
            command.addAll(List.of("-H", header));
        }
        command.addAll(Arrays.asList(options));
        if (value == null) {
            Files.write(file, (key + ":\n").getBytes(StandardCharsets.UTF_8));
            command.add("-K:");
        } else {
            Files.write(file, value);
            if (key != null) {
                command.addAll(List.of("-k", key));
            }
            command.add(file.toString());
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(file.toFile())).start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        process.getInputStream().transferTo(output);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kcat finished").isTrue();
        Files.delete(file);
        return new Result(process.exitValue(), output.toString(StandardCharsets.UTF_8));
    }
}
