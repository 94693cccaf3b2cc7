package io.wabatch.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.common.contract.Json;
import io.wabatch.ops.demo.SampleCatalogue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar ops/target/wabatch.jar demo} from the built jar, as a user runs it. */
@Tag("slow")
class DemoIT {

    /** The line the demo prints per metrics endpoint: {@code   metrics <url> <component>}. */
    private static final Pattern METRICS_LINE = Pattern.compile("(?m)^  metrics (http://\\S+/metrics) (\\S+)$");
    /** A log line of level WARN or ERROR, as the text format writes it ({@code 22:14:06.260 WARN  [thread] ...}). */
    private static final Pattern LOG_PROBLEM = Pattern.compile("^\\d{2}:\\d{2}:\\d{2}\\.\\d{3} (WARN|ERROR) ");

    @Test
    @Timeout(300)
    void demoAcceptsEveryRecipientOnceWithOneUploadPerMediaAndChannel(@TempDir Path dir) throws Exception {
        Path summaryFile = dir.resolve("s.json");
        Path log = dir.resolve("demo.log");
        Process demo = new ProcessBuilder(List.of(javaBinary(), "-jar", jar().toString(), "demo",
                "--kafka-port", "0", "--sandbox-port", "0", "--summary-json", summaryFile.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).directory(dir.toFile()).start();
        // Each endpoint is listed on a line of its own while the campaign runs, and answers a scrape.
        List<String> endpoints = new ArrayList<>();
        await("five /metrics endpoints listed").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    endpoints.clear();
                    Matcher m = METRICS_LINE.matcher(Files.readString(log));
                    while (m.find()) {
                        endpoints.add(m.group(2) + " " + m.group(1));
                    }
                    return endpoints.size() == 5 || !demo.isAlive();
                });
        assertThat(endpoints).as("output:%n%s", Files.readString(log)).hasSize(5)
                .anyMatch(e -> e.startsWith("upload-worker ")).anyMatch(e -> e.startsWith("sender-worker "))
                .anyMatch(e -> e.startsWith("webhook-receiver ")).anyMatch(e -> e.startsWith("funnel "))
                .anyMatch(e -> e.startsWith("sandbox "));
        HttpClient http = HttpClient.newHttpClient();
        for (String endpoint : endpoints) {
            HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(URI.create(endpoint.split(" ")[1]))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.statusCode()).as(endpoint).isEqualTo(200);
            assertThat(scrape.body()).as(endpoint).contains("jvm_memory_used_bytes");
        }
        boolean exited = demo.waitFor(280, TimeUnit.SECONDS);
        if (!exited) {
            demo.destroyForcibly();
        }
        assertThat(exited).as("demo exits; output:%n%s", Files.readString(log)).isTrue();
        assertThat(demo.exitValue()).as("exit code; output:%n%s", Files.readString(log)).isZero();

        JsonNode s = Json.mapper().readTree(summaryFile.toFile());
        assertThat(s.path("recipients_published").asInt()).isGreaterThanOrEqualTo(2_000);
        assertThat(s.path("messages_accepted").asInt()).isEqualTo(s.path("recipients_published").asInt());
        assertThat(s.path("sandbox_accepted").asInt()).isEqualTo(s.path("messages_accepted").asInt());
        assertThat(s.path("sandbox_duplicates").asInt()).isZero();
        assertThat(s.path("sandbox_duplicate_bodies").asInt()).isZero();
        assertThat(s.path("sandbox_link_media").isIntegralNumber()).as("the summary counts link media").isTrue();
        assertThat(s.path("sandbox_link_media").asInt()).as("every medium sent by its uploaded ID").isZero();
        assertThat(s.path("sandbox_rejected_by_code").has("130429")).isFalse();
        assertThat(s.path("uploads").asInt()).isEqualTo(s.path("distinct_media").asInt());
        assertThat(s.path("sandbox_uploads").asInt()).isEqualTo(s.path("uploads").asInt());
        assertThat(s.path("channels")).hasSize(2);
        // The catalogue is in force: both accounts listed, every template job (the sample has 10 per channel)
        // checked and passed.
        int templates = SampleCatalogue.templates().size();
        assertThat(s.path("template_catalogue").properties()).as("accounts listed").hasSize(2)
                .allSatisfy(account -> assertThat(account.getValue().asInt()).isEqualTo(templates));
        assertThat(s.path("template_checks").path("passed").asInt()).as("template jobs checked")
                .isGreaterThanOrEqualTo(20);
        assertThat(s.path("template_checks").path("failed").asInt()).isZero();
        assertThat(s.path("template_checks").path("unchecked").asInt()).isZero();
        assertThat(Files.readString(log)).contains("messages accepted")
                .contains("template catalogue   " + templates + " templates in account");
        // A normal demo is quiet: a WARN or ERROR line would be taken for real trouble (issue 20).
        assertThat(Files.readAllLines(log)).as("WARN and ERROR lines of a normal demo")
                .noneMatch(line -> LOG_PROBLEM.matcher(line).find());
    }


    static Path jar() {
        return WabatchJar.path();
    }

    static String javaBinary() {
        return WabatchJar.javaBinary();
    }
}
