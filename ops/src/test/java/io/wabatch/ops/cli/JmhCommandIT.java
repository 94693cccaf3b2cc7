package io.wabatch.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.common.contract.Json;
import io.wabatch.ops.WabatchJar;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * {@code java -jar ops/target/wabatch.jar jmh} from the built jar: JMH finds every benchmark in the
 * shaded jar, forks its measuring JVM from it, and reports a result for each. The expected
 * benchmarks are the {@link Benchmark} methods of the benchmark classes in the jar.
 */
@Timeout(120)
@Tag("slow")
class JmhCommandIT {

    private static final String PACKAGE = "io.wabatch.ops.bench.jmh";
    private static final Pattern BENCHMARK_CLASS = Pattern.compile("io/wabatch/ops/bench/jmh/\\w+Benchmark\\.class");

    private Process jmh;

    @AfterEach
    void stop() throws InterruptedException {
        if (jmh != null && jmh.isAlive()) {
            jmh.descendants().forEach(ProcessHandle::destroyForcibly);
            jmh.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void runsEveryBenchmarkOfTheJarInAForkedJvmWithAPositiveScore() throws Exception {
        Path jar = WabatchJar.path();
        Set<String> expected = benchmarkMethods(jar);
        assertThat(expected).as("benchmarks of each hot path").anySatisfy(b -> assertThat(b).contains(".JobCodecBenchmark."))
                .anySatisfy(b -> assertThat(b).contains(".ErrorClassificationBenchmark."))
                .anySatisfy(b -> assertThat(b).contains(".PacingBenchmark."))
                .anySatisfy(b -> assertThat(b).contains(".OffsetTrackerBenchmark."));
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "jmh-it").toAbsolutePath()), "run-");
        Path results = dir.resolve("results.json");
        Path log = dir.resolve("jmh.log");

        // The quickest run that still forks: one fork, no warmup, one 200 ms iteration per benchmark.
        jmh = new ProcessBuilder(WabatchJar.javaBinary(), "-jar", jar.toString(), "jmh",
                "-f", "1", "-wi", "0", "-i", "1", "-r", "200ms", "-jvmArgsAppend", "-XX:TieredStopAtLevel=1",
                "-rf", "json", "-rff", results.toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();

        assertThat(jmh.waitFor(100, TimeUnit.SECONDS)).as("jmh finished within 100 s; see " + log).isTrue();
        assertThat(jmh.exitValue()).as("exit code; output:%n%s", Files.readString(log)).isZero();
        JsonNode run = Json.mapper().readTree(results.toFile());
        List<String> ran = new ArrayList<>();
        for (JsonNode result : run) {
            String name = result.path("benchmark").asText();
            ran.add(name);
            assertThat(result.path("mode").asText()).as(name).isEqualTo("avgt");
            assertThat(result.path("primaryMetric").path("scoreUnit").asText()).as(name).isEqualTo("ns/op");
            double score = result.path("primaryMetric").path("score").asDouble(Double.NaN);
            assertThat(score).as("score of " + name).isPositive().isFinite();
        }
        assertThat(ran).as("one result per benchmark method").containsExactlyInAnyOrderElementsOf(expected);
    }

    /** The {@code @Benchmark} methods of the benchmark classes the jar holds, as JMH names them. */
    private static Set<String> benchmarkMethods(Path jar) throws IOException, ClassNotFoundException {
        Set<String> names = new TreeSet<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            List<String> classes = zip.stream().map(e -> e.getName()).filter(n -> BENCHMARK_CLASS.matcher(n).matches())
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.')).toList();
            for (String name : classes) {
                for (Method method : Class.forName(name).getDeclaredMethods()) {
                    if (method.isAnnotationPresent(Benchmark.class)) {
                        names.add(name + "." + method.getName());
                    }
                }
            }
        }
        assertThat(names).as("benchmarks in " + PACKAGE).isNotEmpty();
        return names;
    }
}
