package io.wabatch.common.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads are streamed from disk: a child JVM whose heap and direct memory are a quarter of the
 * file's size uploads it. Holding the file in memory would end in an OutOfMemoryError; measuring
 * heap growth in this JVM instead would be flaky.
 */
class UploadStreamingIT {

    private static final long FILE_SIZE = 256L << 20;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void uploadOfAFileFourTimesTheHeapSucceeds(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("big.pdf");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(FILE_SIZE);
        }
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-Xmx64m", "-XX:MaxDirectMemorySize=64m",
                "-cp", System.getProperty("java.class.path"), UploadStreamingProbe.class.getName(), file.toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("probe.log").toFile())
                .start();

        assertThat(child.waitFor(100, TimeUnit.SECONDS)).as("probe finished").isTrue();
        assertThat(child.exitValue()).as(() -> "probe exit code; log: " + read(dir.resolve("probe.log"))).isZero();
    }

    private static String read(Path log) {
        try {
            return java.nio.file.Files.readString(log);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
