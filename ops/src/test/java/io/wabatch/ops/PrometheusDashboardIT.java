package io.wabatch.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.metrics.Metric;
import io.wabatch.ops.cli.WabatchCli;
import io.wabatch.ops.demo.DemoOptions;
import io.wabatch.ops.demo.DemoStack;
import io.wabatch.ops.demo.ResultsWatcher;
import io.wabatch.sandbox.api.Faults;
import io.wabatch.sandbox.api.SandboxConfig;
import io.wabatch.sandbox.api.Storm;
import io.wabatch.sandbox.kafka.KafkaTestBroker;
import io.wabatch.sandbox.origin.MediaOrigin;
import io.wabatch.sandbox.origin.Route;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Prometheus (the Debian package) scrapes the demo stack every second while a campaign runs
 * that touches every panel: sends accepted on both channels, a 130429 storm (errors, retries, a
 * lower pace), a deferral, dead letters from both stages, media uploads with cache misses and hits,
 * a parked (in-doubt) message, a suppressed duplicate and a paused channel. Then every query of the
 * wabatch dashboard, as Grafana would send it with "All" selected, is accepted and returns data, its
 * variables list values, and the alert rules load and evaluate without errors against the real series.
 */
@Timeout(180)
@Tag("slow")
class PrometheusDashboardIT {

    private static final Logger FIGURES = LoggerFactory.getLogger("figures");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Set<String> JOBS = Set.of("upload-worker", "sender-worker", "webhook-receiver", "funnel",
            "sandbox");
    private static final Set<String> ALERTS = Set.of("WabatchDlqRateHigh", "WabatchChannelPaused",
            "WabatchRateLimited", "WabatchConsumerLagGrowing", "WabatchUploadsFailing", "WabatchCampaignAutoPaused",
            "WabatchNoSendsWhileLagging", "WabatchInDoubtJobsWaiting", "WabatchTargetDown", "WabatchWebhooksUnparsed");

    private static Path dir;
    private static Process prometheus;
    private static URI api;
    private static DemoStack stack;
    private static Instant trafficStart;

    @BeforeAll
    static void start() throws Exception {
        Path binary = ExternalTool.require("prometheus", "apt-get install prometheus");
        dir = Files.createTempDirectory("prometheus-it-");
        stack = DemoStack.start(DemoOptions.forTest(KafkaTestBroker.bootstrapServers(),
                "prom-" + UUID.randomUUID().toString().substring(0, 8),
                Map.of("media.download.timeout.ms", "10000", "send.retry.initial.ms", "100")));
        int port = freePort();
        api = URI.create("http://127.0.0.1:" + port + "/");
        Files.copy(OpsFiles.resolve("prometheus/alerts.yml"), dir.resolve("alerts.yml"));
        Files.writeString(dir.resolve("prometheus.yml"), config(stack.metricsEndpoints()));
        prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        await("Prometheus scrapes all five targets").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> {
                    assertThat(prometheus.isAlive()).as("prometheus runs; see %s", dir.resolve("prometheus.log")).isTrue();
                    return upJobs().equals(JOBS);
                });
        trafficStart = Instant.now();
        runCampaign();
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (stack != null) {
            stack.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    @Test
    void everyDashboardQueryIsAcceptedAndReturnsData() throws Exception {
        List<DashboardQueries.Query> queries = DashboardQueries.all();
        List<String> empty = new ArrayList<>();
        List<String> neverANumber = new ArrayList<>();
        int series = 0;
        String end = Long.toString(Instant.now().getEpochSecond());
        for (DashboardQueries.Query query : queries) {
            String what = "panel " + query.panelId() + " \"" + query.panel() + "\" " + query.refId() + ": " + query.expr();
            JsonNode now = apiGet("api/v1/query", "query", query.expr());
            if (now.path("data").path("result").isEmpty()) {
                empty.add(what);
            }
            series += now.path("data").path("result").size();
            // Over the campaign, as the panel draws it: at least one point is a number (not NaN, e.g. 0/0).
            JsonNode range = apiGet("api/v1/query_range", "query", query.expr(),
                    "start", Long.toString(trafficStart.getEpochSecond()), "end", end, "step", "2");
            if (!hasNumber(range.path("data").path("result"))) {
                neverANumber.add(what);
            }
        }
        FIGURES.info("dashboard: {} queries answered by Prometheus {} with {} series", queries.size(),
                apiGet("api/v1/status/buildinfo").path("data").path("version").asText(), series);
        JsonNode scrapes = apiGet("api/v1/query", "query", "max_over_time(scrape_duration_seconds[10m])");
        for (JsonNode target : scrapes.path("data").path("result")) {
            FIGURES.info("scrape of {}: at most {} s, {} samples", target.path("metric").path("job").asText(),
                    target.path("value").get(1).asText(), apiGet("api/v1/query", "query", "scrape_samples_scraped{job=\""
                            + target.path("metric").path("job").asText() + "\"}").path("data").path("result")
                            .path(0).path("value").path(1).asText());
        }
        assertThat(empty).as("queries with no data").isEmpty();
        assertThat(neverANumber).as("queries with no number during the campaign").isEmpty();
    }

    @Test
    void theDashboardVariablesListValues() throws Exception {
        for (DashboardQueries.Variable variable : DashboardQueries.variables()) {
            JsonNode values = apiGet("api/v1/label/" + variable.label() + "/values", "match[]", variable.metric());
            Set<String> listed = new TreeSet<>();
            values.path("data").forEach(v -> listed.add(v.asText()));
            FIGURES.info("dashboard variable ${}: {}", variable.name(), listed);
            if ("channel".equals(variable.label())) {
                assertThat(listed).as("$%s", variable.name()).contains(DemoStack.D360_CHANNEL, DemoStack.META_CHANNEL);
            } else {
                assertThat(listed).as("$%s", variable.name()).contains(
                        hostPort(stack.metricsEndpoints().get("upload-worker")),
                        hostPort(stack.metricsEndpoints().get("sender-worker")));
            }
        }
    }

    @Test
    void theAlertRulesLoadAndEvaluateAgainstTheRealSeries() {
        await("every rule evaluated, the in-doubt and paused-channel alerts pending").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    JsonNode groups = apiGet("api/v1/rules").path("data").path("groups");
                    assertThat(groups).hasSize(1);
                    Map<String, JsonNode> rules = new HashMap<>();
                    groups.get(0).path("rules").forEach(rule -> rules.put(rule.path("name").asText(), rule));
                    assertThat(rules.keySet()).containsExactlyInAnyOrderElementsOf(ALERTS);
                    assertThat(rules.values()).allSatisfy(rule -> assertThat(rule.path("health").asText())
                            .as("%s: %s", rule.path("name").asText(), rule.path("lastError").asText()).isEqualTo("ok"));
                    assertThat(rules.get("WabatchInDoubtJobsWaiting").path("state").asText()).isIn("pending", "firing");
                    assertThat(rules.get("WabatchChannelPaused").path("state").asText()).isIn("pending", "firing");
                    assertThat(rules.get("WabatchTargetDown").path("state").asText()).isEqualTo("inactive");
                });
    }

    /** Traffic in phases, so that counters created in one phase move in a later one (rate() sees it). */
    private static void runCampaign() throws Exception {
        // Cacheable across campaigns (public, max-age), so that later campaigns hit the media-id cache.
        stack.origin().register("/media/cached.jpg", Route.bytes(MediaOrigin.sample("sample.jpg"), "image/jpeg")
                .withHeader("Cache-Control", "public, max-age=3600"));
        String image = stack.origin().url("/media/cached.jpg");
        List<ObjectNode> first = new ArrayList<>();
        String campaign = campaign();
        stack.sandbox().startStorm(Storm.rateLimit(SandboxConfig.DEMO_D360_NUMBER_ID, Duration.ofSeconds(90), 400));
        for (String channel : List.of(DemoStack.D360_CHANNEL, DemoStack.META_CHANNEL)) {
            first.add(Jobs.batch(campaign + "-img-" + channel, campaign, channel, 5, 100_000 + (channel.hashCode() & 0xfff),
                    Jobs.image(image, "Hi {{name}}")));
            first.add(Jobs.batch(campaign + "-txt-" + channel, campaign, channel, 5, 200_000 + (channel.hashCode() & 0xfff),
                    Jobs.text("Hello {{name}}")));
        }
        first.add(Jobs.single(campaign + "-once", campaign, DemoStack.META_CHANNEL, "+4915100000020", Jobs.text("once")));
        first.add(Jobs.single(campaign + "-dead", campaign, DemoStack.META_CHANNEL, "+4915100000021",
                Jobs.image("http://127.0.0.1:" + freePort() + "/gone.jpg", "gone")));
        ObjectNode both = Jobs.single(campaign + "-both", campaign, DemoStack.META_CHANNEL, "+4915100000022",
                Jobs.image(image, "x"));
        ((ObjectNode) both.get("message").get("image")).put("id", "123");
        first.add(both);
        first.add(Jobs.single(campaign + "-bad-template", campaign, DemoStack.META_CHANNEL, "+4915100000023",
                Jobs.badTemplate()));
        ObjectNode later = Jobs.single(campaign + "-later", campaign, DemoStack.D360_CHANNEL, "+4915100000024",
                Jobs.text("not yet"));
        later.put("not_before", Instant.now().plus(Duration.ofHours(2)).toString());
        first.add(later);
        publish(first);
        await("the sender meets a 130429").atMost(Duration.ofSeconds(60)).until(() -> stack.senderMeters()
                .find(Metric.SENDER_ERRORS.meterName()).tag("code", "130429").counters().stream()
                .mapToDouble(Counter::count).sum() > 0);
        stack.sandbox().stopStorms();
        // Every job but the one not due for two hours (deferred) has a result.
        Map<Outcome, Integer> outcomes = awaitOutcomes(campaign, 24);
        assertThat(outcomes).containsEntry(Outcome.ACCEPTED, 21).containsEntry(Outcome.FAILED, 3);

        // Every answer lost after acceptance: the message is parked in doubt.
        String parked = campaign();
        stack.sandbox().setFaults(Faults.afterAccept(1.0, 0, 0));
        publish(List.of(Jobs.single(parked + "-lost", parked, DemoStack.D360_CHANNEL, "+4915100000030",
                Jobs.text("lost answer"))));
        assertThat(awaitOutcomes(parked, 1)).containsEntry(Outcome.PARKED, 1);
        stack.sandbox().setFaults(Faults.none());

        // A job sent before comes again: the ledger suppresses it. New media (misses), known media (hits).
        String second = campaign();
        ObjectNode again = (ObjectNode) first.get(4).deepCopy().put("campaign_id", second);
        publish(List.of(again,
                Jobs.batch(second + "-png", second, DemoStack.D360_CHANNEL, 2, 300_000, Jobs.image(
                        stack.origin().url("/media/sample.png"), "png")),
                Jobs.batch(second + "-jpg", second, DemoStack.D360_CHANNEL, 2, 310_000, Jobs.image(image, "again"))));
        assertThat(awaitOutcomes(second, 5)).containsEntry(Outcome.DUPLICATE_SUPPRESSED, 1)
                .containsEntry(Outcome.ACCEPTED, 4);
        awaitScraped("wabatch_upload_cache_total{result=\"hit\"}");

        String third = campaign();
        publish(List.of(Jobs.batch(third + "-jpg", third, DemoStack.META_CHANNEL, 2, 320_000, Jobs.image(image, "more"))));
        assertThat(awaitOutcomes(third, 2)).containsEntry(Outcome.ACCEPTED, 2);

        assertThat(WabatchCli.execute("channel", "pause", DemoStack.META_CHANNEL, "-b", stack.bootstrap(),
                "--topic", stack.topics().control())).isZero();
        awaitScraped("wabatch_sender_channel_state{state=\"paused\"} == 1");
        // Two more scrapes after the last change, so that every rate() has its latest points.
        double last = scrapeTimestamp();
        await("two more scrapes").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> scrapeTimestamp() >= last + 2);
        FIGURES.info("campaign: {} s of traffic scraped every second", Duration.between(trafficStart, Instant.now())
                .toSeconds());
    }

    private static String config(Map<String, URI> endpoints) {
        StringBuilder yaml = new StringBuilder("""
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files:
                  - alerts.yml
                scrape_configs:
                """);
        endpoints.forEach((job, uri) -> yaml.append("  - job_name: ").append(job).append('\n')
                .append("    metrics_path: ").append(uri.getPath()).append('\n')
                .append("    static_configs:\n")
                .append("      - targets: ['").append(hostPort(uri)).append("']\n"));
        return yaml.toString();
    }

    private static Set<String> upJobs() throws Exception {
        Set<String> jobs = new TreeSet<>();
        apiGet("api/v1/query", "query", "up == 1").path("data").path("result")
                .forEach(r -> jobs.add(r.path("metric").path("job").asText()));
        return jobs;
    }

    private static void awaitScraped(String query) {
        await("Prometheus has " + query).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> !apiGet("api/v1/query", "query", query).path("data").path("result").isEmpty());
    }

    /** When the sender was last scraped, in seconds since the epoch. */
    private static double scrapeTimestamp() throws Exception {
        JsonNode result = apiGet("api/v1/query", "query", "timestamp(up{job=\"sender-worker\"})").path("data")
                .path("result");
        return result.isEmpty() ? 0 : result.get(0).path("value").get(1).asDouble();
    }

    private static JsonNode apiGet(String path, String... params) throws IOException, InterruptedException {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < params.length; i += 2) {
            query.append(i == 0 ? "?" : "&").append(params[i]).append('=')
                    .append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
        }
        URI uri = api.resolve(path + query);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s: %s", uri, response.body()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(response.body());
        assertThat(body.path("status").asText()).as("%s: %s", uri, response.body()).isEqualTo("success");
        return body;
    }

    private static boolean hasNumber(JsonNode result) {
        for (JsonNode series : result) {
            for (JsonNode point : series.path("values")) {
                if (Double.isFinite(Double.parseDouble(point.get(1).asText().replace("Inf", "Infinity")))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Map<Outcome, Integer> awaitOutcomes(String campaign, int expected) {
        try (ResultsWatcher watcher = new ResultsWatcher(stack.bootstrap(), stack.topics().results(), campaign)) {
            assertThat(watcher.awaitResults(expected, Duration.ofSeconds(60), w -> { }))
                    .as("%d results of %s arrive", expected, campaign).isTrue();
            return watcher.outcomes();
        }
    }

    private static void publish(List<ObjectNode> jobs) {
        Jobs.publish(stack.bootstrap(), stack.topics().jobs(), jobs);
    }

    private static String campaign() {
        return "prom-" + UUID.randomUUID().toString().substring(0, 6);
    }

    private static String hostPort(URI uri) {
        return uri.getHost() + ":" + uri.getPort();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
