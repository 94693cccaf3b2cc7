package io.wabatch.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.common.contract.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A smoke run of every {@code wabatch bench} scenario, as a user runs it: the built jar, {@code bench
 * all} with one-second phases and small sizes, JSON into a directory. Asserts that each scenario
 * completes and writes the keys, that every message it waits for arrived
 * ({@code completed == expected}), and that its ratios are plausible (in (0, 1.05]); not that the
 * targets are met: that takes full-length runs on a quiet machine (BENCHMARKS.md). The run takes 190 to 280 s
 * on a quiet 2-core machine, mostly child JVM starts and warm-ups; it is given 8 minutes, since a run beside
 * other builds was killed at 5 (exit 137) while still making progress.
 */
@Timeout(value = 9, unit = TimeUnit.MINUTES)
@Tag("slow")
class BenchSmokeIT {

    @TempDir
    static Path dir;
    private static int exitCode;
    private static String output;

    @BeforeAll
    static void runAll() throws Exception {
        Path jar = Path.of("target", "wabatch.jar").toAbsolutePath();
        assertThat(jar).as("run 'mvn package' first: this test starts the built jar").exists();
        Path log = dir.resolve("bench.log");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-jar", jar.toString(), "bench", "all", "--duration", "1", "--documents", "2", "--document-mb", "4",
                "--recipients", "2000", "--json", dir.resolve("json").toString()));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(8, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        exitCode = process.isAlive() ? -1 : process.exitValue();
        output = Files.readString(log);
    }

    private static JsonNode report(String scenario) throws IOException {
        assertThat(exitCode).as("exit code (0: targets met, 3: some missed, which a smoke run may); output:\n%s",
                output).isIn(0, 3);
        Path file = dir.resolve("json").resolve(scenario + ".json");
        assertThat(file).as("the JSON of " + scenario).exists();
        JsonNode json = Json.mapper().readTree(file.toFile());
        assertThat(json.path("scenario").asText()).isEqualTo(scenario);
        assertThat(json.path("duration_s").asDouble()).isEqualTo(1.0);
        assertThat(json.path("machine").path("cores").asInt()).isPositive();
        assertThat(json.has("features")).isTrue();
        return json;
    }

    private static void assertRatio(JsonNode json, String key) {
        assertThat(json.has(key)).as(key).isTrue();
        assertThat(json.get(key).asDouble()).as(key).isGreaterThan(0).isLessThanOrEqualTo(1.05);
    }

    @Test
    void pacingReportsBothChannelsWithPlausibleRatios() throws IOException {
        JsonNode json = report("pacing");
        assertThat(json.path("completed").asInt()).isEqualTo(json.path("expected").asInt()).isPositive();
        assertThat(json.path("channels")).hasSize(2);
        for (JsonNode channel : json.path("channels")) {
            assertRatio(channel, "mean_ratio");
            assertRatio(channel, "max_second_ratio");
            assertThat(channel.path("pace_mps").asDouble()).isLessThan(channel.path("limit_mps").asDouble());
            assertThat(channel.has("rejected_130429")).isTrue();
        }
    }

    @Test
    void ceilingMeasuresWabatchAndTheReferenceLoop() throws IOException {
        JsonNode json = report("ceiling");
        assertThat(json.path("messages_per_s").asDouble()).isPositive();
        assertThat(json.path("ledger_off_messages_per_s").asDouble()).isPositive();
        assertThat(json.path("reference_loop_messages_per_s").asDouble()).isPositive();
        // a 1 s window on a loaded machine can catch the reference loop slower than wabatch (1.29 seen
        // while another build ran): the share is a figure of the full run, here it only has to exist
        assertThat(json.path("share_of_reference").asDouble()).isPositive();
        assertThat(json.path("cpu_us_per_message").path("upload_worker").asDouble()).isPositive();
        assertThat(json.path("cpu_us_per_message").path("sender_worker").asDouble()).isPositive();
        assertThat(json.path("api_duplicates").asLong()).isZero();
        assertThat(json.path("api_refused").asLong()).as("a refused message is no throughput").isZero();
        assertThat(json.path("backlog").path("ready").asLong()).isNotNegative();
    }

    @Test
    void holComparesWabatchWithTheInlineBaseline() throws IOException {
        JsonNode json = report("hol");
        assertRatio(json, "text_rate_ratio");
        assertRatio(json, "baseline_text_rate_ratio");
        assertThat(json.path("text_p99_ms").asLong()).isPositive();
        assertThat(json.path("baseline_text_p99_ms").asLong()).isPositive();
        assertThat(json.path("texts_offered").asInt()).isPositive();
    }

    @Test
    void memorySendsEveryDocument() throws IOException {
        JsonNode json = report("memory");
        assertThat(json.path("completed").asInt()).isEqualTo(json.path("expected").asInt()).isEqualTo(2);
        assertThat(json.path("api_uploads").asInt()).as("distinct documents, one upload each").isEqualTo(2);
        assertThat(json.path("peak_heap_mb").asDouble()).isPositive();
        assertThat(json.path("peak_rss_mb").asDouble()).isPositive();
    }

    @Test
    void dedupeMakesEveryReadyJobOfBothCampaigns() throws IOException {
        JsonNode links = report("dedupe").path("links");
        assertThat(links.path("completed").asInt()).isEqualTo(links.path("expected").asInt()).isEqualTo(2000);
        assertThat(links.path("uploads").asInt()).isPositive();
        assertThat(links.path("expected_uploads").asInt()).isEqualTo(2);
        assertThat(links.path("time_to_ready_ms").asLong()).isPositive();
        JsonNode carousel = report("dedupe").path("carousel");
        assertThat(carousel.path("completed").asInt()).isEqualTo(carousel.path("expected").asInt()).isEqualTo(2000);
        assertThat(carousel.path("expected_uploads").asInt()).as("10 cards on each of 2 channels").isEqualTo(20);
        assertThat(carousel.path("uploads").asInt()).as("each card uploaded once per channel").isEqualTo(20);
        assertThat(carousel.path("peak_rss_mb").asDouble()).isPositive();
    }

    @Test
    void latencyMeasuresEveryMessage() throws IOException {
        JsonNode json = report("latency");
        assertThat(json.path("completed").asInt()).isEqualTo(json.path("expected").asInt()).isEqualTo(100);
        long sandbox = json.path("sandbox_latency_ms").asLong();
        assertThat(json.path("p50_ms").asLong()).isGreaterThanOrEqualTo(sandbox);
        assertThat(json.path("p99_ms").asLong()).isGreaterThanOrEqualTo(json.path("p50_ms").asLong());
        assertThat(json.path("p999_ms").asLong()).isGreaterThanOrEqualTo(json.path("p99_ms").asLong());
    }

    @Test
    void webhooksMeasuresTheReceiversAnswersAndLosesNone() throws IOException {
        JsonNode json = report("webhooks");
        assertThat(json.path("answered").asLong()).as("webhooks answered in the window").isPositive();
        assertThat(json.path("refused").asLong()).isZero();
        assertThat(json.path("p50_ms").asDouble()).isPositive();
        assertThat(json.path("p99_ms").asDouble()).isGreaterThanOrEqualTo(json.path("p50_ms").asDouble());
        assertThat(json.path("p999_ms").asDouble()).isGreaterThanOrEqualTo(json.path("p99_ms").asDouble());
        assertThat(json.path("max_ms").asDouble()).isGreaterThanOrEqualTo(json.path("p999_ms").asDouble());
        // Not that every post was answered before counting ("settled"): one post of a 120 s run waited on an
        // answer for over a minute (BENCHMARKS.md, issue 19). What was answered must be in the topic.
        for (String kind : List.of("statuses", "inbound")) {
            JsonNode delivery = json.path(kind);
            assertThat(delivery.path("answered_ok").asLong()).as(kind + " answered 200").isPositive();
            assertThat(delivery.path("distinct").asLong()).as(kind + " in the topic")
                    .isGreaterThanOrEqualTo(delivery.path("answered_ok").asLong());
            assertThat(delivery.path("lost").asLong()).as(kind + " lost").isZero();
        }
        assertThat(json.path("lost").asLong()).isZero();
    }
}
