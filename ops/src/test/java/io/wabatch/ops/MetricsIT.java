package io.wabatch.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.metrics.Metric;
import io.wabatch.common.metrics.MetricCheck;
import io.wabatch.common.metrics.MetricTag.Source;
import io.wabatch.common.metrics.PrometheusText;
import io.wabatch.ops.demo.DemoOptions;
import io.wabatch.ops.demo.DemoStack;
import io.wabatch.ops.demo.ResultsWatcher;
import io.wabatch.sandbox.api.SandboxConfig;
import io.wabatch.sandbox.api.Storm;
import io.wabatch.sandbox.kafka.KafkaTestBroker;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real traffic through both workers (uploads, cache hits, sends, a 130429 storm, a deferral, dead
 * letters from both stages), then the endpoints a Prometheus would scrape: the series dashboards
 * query exist under their exact names and labels, every wabatch meter is catalogued with declared,
 * bounded tag values, no tag carries a phone number or an id, and every endpoint is live and ready.
 */
@Timeout(240)
class MetricsIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static DemoStack stack;
    private static String campaign;

    @BeforeAll
    static void runTraffic() throws Exception {
        String prefix = "metrics-" + UUID.randomUUID().toString().substring(0, 8);
        stack = DemoStack.start(DemoOptions.forTest(KafkaTestBroker.bootstrapServers(), prefix,
                Map.of("media.download.timeout.ms", "10000", "send.retry.initial.ms", "100")));
        campaign = "tagscan-" + UUID.randomUUID().toString().substring(0, 6);
        // Rate-limit answers on one number until the sender has met one: errors, retries and a lower pace.
        stack.sandbox().startStorm(Storm.rateLimit(SandboxConfig.DEMO_D360_NUMBER_ID, Duration.ofSeconds(90), 400));
        List<ObjectNode> jobs = new ArrayList<>();
        int expected = 0;
        for (String channel : List.of(DemoStack.D360_CHANNEL, DemoStack.META_CHANNEL)) {
            jobs.add(Jobs.batch(campaign + "-img-" + channel, campaign, channel, 10, channel.hashCode() & 0xffff,
                    Jobs.image(stack.origin().url("/media/sample.jpg"), "Hi {{name}}")));
            jobs.add(Jobs.batch(campaign + "-txt-" + channel, campaign, channel, 10, 900_000 + (channel.hashCode() & 0xfff),
                    Jobs.text("Hello {{name}}")));
            expected += 20;
        }
        jobs.add(Jobs.batch(campaign + "-dead", campaign, DemoStack.META_CHANNEL, 2, 70_000,
                Jobs.image("http://127.0.0.1:" + closedPort() + "/gone.jpg", "gone")));
        ObjectNode both = Jobs.single(campaign + "-both", campaign, DemoStack.META_CHANNEL, "+4915100000009",
                Jobs.image(stack.origin().url("/media/sample.jpg"), "x"));
        ((ObjectNode) both.get("message").get("image")).put("id", "123");
        jobs.add(both);
        jobs.add(Jobs.single(campaign + "-bad-template", campaign, DemoStack.META_CHANNEL, "+4915100000010",
                Jobs.badTemplate()));
        expected += 4;
        ObjectNode later = Jobs.single(campaign + "-later", campaign, DemoStack.D360_CHANNEL, "+4915100000011",
                Jobs.text("not yet"));
        later.put("not_before", Instant.now().plus(Duration.ofHours(2)).toString());
        jobs.add(later);
        publish(jobs);
        await("the sender meets a 130429").atMost(Duration.ofSeconds(60)).until(() -> stack.senderMeters()
                .find(Metric.SENDER_ERRORS.meterName()).tag("code", "130429").counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum() > 0);
        stack.sandbox().stopStorms();

        try (ResultsWatcher watcher = new ResultsWatcher(stack.bootstrap(), stack.topics().results(), campaign)) {
            assertThat(watcher.awaitResults(expected, Duration.ofSeconds(150), w -> { }))
                    .as("all %d results arrive", expected).isTrue();
            assertThat(watcher.count(Outcome.ACCEPTED)).isEqualTo(40);
            assertThat(watcher.results().get(campaign + "-bad-template").outcome()).isEqualTo(Outcome.FAILED);
        }
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theSeriesTheDashboardsQueryAreScrapedWithTheirLabels() throws Exception {
        Map<String, Set<Set<String>>> sender = PrometheusText.series(scrape("sender-worker"));
        Map<String, Set<Set<String>>> upload = PrometheusText.series(scrape("upload-worker"));

        assertThat(sender).containsEntry("wabatch_sender_messages_total", labels("channel", "type", "outcome"))
                .containsEntry("wabatch_sender_pace_configured", labels("channel"))
                .containsEntry("wabatch_sender_pace_current", labels("channel"))
                .containsEntry("wabatch_sender_pace_inbound", labels("channel"))
                .containsEntry("wabatch_sender_token_wait_seconds_count", labels("channel"))
                .containsEntry("wabatch_sender_token_wait_seconds_sum", labels("channel"))
                .containsEntry("wabatch_sender_token_wait_seconds_max", labels("channel"))
                .containsEntry("wabatch_sender_in_flight", labels())
                .containsEntry("wabatch_sender_api_latency_seconds_bucket", labels("channel", "le"))
                .containsEntry("wabatch_sender_errors_total", labels("channel", "code"))
                .containsEntry("wabatch_sender_retries_total", labels("channel", "reason"))
                .containsEntry("wabatch_sender_deferred_total", labels("channel", "reason"))
                .containsEntry("wabatch_sender_channel_state", labels("channel", "state"))
                .containsEntry("wabatch_sender_channel_waiting", labels("channel"))
                .containsEntry("wabatch_sender_ledger_jobs", labels())
                .containsEntry("wabatch_dlq_records_total", labels("stage", "code"))
                .containsEntry("wabatch_kafka_consumer_lag", labels("group", "topic"));
        assertThat(upload).containsEntry("wabatch_upload_uploads_total", labels("channel", "type", "outcome"))
                .containsEntry("wabatch_upload_bytes_total", labels("channel"))
                .containsEntry("wabatch_upload_cache_total", labels("result"))
                .containsEntry("wabatch_upload_spool_bytes", labels())
                .containsEntry("wabatch_upload_upload_latency_seconds_count", labels("channel"))
                .containsEntry("wabatch_upload_download_latency_seconds_count", labels("type"))
                .containsEntry("wabatch_dlq_records_total", labels("stage", "code"))
                .containsEntry("wabatch_kafka_consumer_lag", labels("group", "topic"));

        String senderText = scrape("sender-worker");
        assertThat(PrometheusText.labelValues(senderText, "wabatch_sender_messages_total", "outcome"))
                .contains("accepted", "failed");
        assertThat(PrometheusText.labelValues(senderText, "wabatch_sender_errors_total", "code"))
                .contains("130429", "131009");
        assertThat(PrometheusText.labelValues(senderText, "wabatch_sender_retries_total", "reason"))
                .contains("lower_pace");
        assertThat(PrometheusText.labelValues(senderText, "wabatch_sender_deferred_total", "reason"))
                .containsExactly("not_before");
        assertThat(PrometheusText.labelValues(senderText, "wabatch_dlq_records_total", "stage")).containsExactly("send");
        assertThat(PrometheusText.labelValues(senderText, "wabatch_kafka_consumer_lag", "topic"))
                .containsExactly(stack.topics().ready());
        String uploadText = scrape("upload-worker");
        assertThat(PrometheusText.labelValues(uploadText, "wabatch_dlq_records_total", "code"))
                .contains("media_unavailable", "invalid_job");
        assertThat(PrometheusText.labelValues(uploadText, "wabatch_upload_cache_total", "result")).contains("miss");
    }

    @Test
    void jvmKafkaClientAndVertxMetersAreScrapedToo() throws Exception {
        for (String worker : List.of("upload-worker", "sender-worker")) {
            Set<String> names = PrometheusText.series(scrape(worker)).keySet();
            assertThat(names).as(worker).contains("jvm_memory_used_bytes", "jvm_threads_live_threads",
                    "jvm_classes_loaded_classes", "process_uptime_seconds", "system_cpu_count");
            assertThat(names).as(worker).anyMatch(n -> n.startsWith("jvm_gc_"))
                    .anyMatch(n -> n.startsWith("kafka_consumer_fetch_manager_"))
                    .anyMatch(n -> n.startsWith("kafka_producer_"))
                    .anyMatch(n -> n.startsWith("vertx_http_client_"));
        }
        Set<String> sandbox = PrometheusText.series(scrape("sandbox")).keySet();
        assertThat(sandbox).contains("jvm_memory_used_bytes").anyMatch(n -> n.startsWith("vertx_http_server_"))
                .noneMatch(n -> n.startsWith("wabatch_"));
    }

    @Test
    void everyWabatchMeterIsCataloguedWithDeclaredBoundedTags() throws Exception {
        Map<Source, Set<String>> sources = Map.of(Source.CHANNELS, stack.registry().ids(),
                Source.GROUPS, Set.of("wabatch-upload", "wabatch-sender"),
                Source.TOPICS, Set.of(stack.topics().jobs(), stack.topics().ready()));

        assertThat(MetricCheck.problems(stack.uploadMeters(), sources)).isEmpty();
        assertThat(MetricCheck.problems(stack.senderMeters(), sources)).isEmpty();
        Set<String> catalogued = Stream.of(Metric.values()).map(Metric::prometheusName).collect(Collectors.toSet());
        for (String worker : List.of("upload-worker", "sender-worker")) {
            Set<String> scraped = new TreeSet<>(PrometheusText.series(scrape(worker)).keySet());
            scraped.removeIf(name -> !name.startsWith("wabatch_"));
            assertThat(scraped).as(worker).isNotEmpty().allSatisfy(name -> assertThat(catalogued)
                    .as("%s is catalogued", name).contains(name.replaceAll("_(count|sum|max|bucket)$", "")));
        }
    }

    @Test
    void noTagCarriesAPhoneNumberOrAnId() throws Exception {
        for (String endpoint : stack.metricsEndpoints().keySet()) {
            String text = scrape(endpoint);
            assertThat(text).as(endpoint).doesNotContain(campaign).doesNotContain(SandboxConfig.DEMO_D360_API_KEY)
                    .doesNotContain(SandboxConfig.DEMO_META_ACCESS_TOKEN);
            // The recipients are +4915...; no label value holds a number that long, nor a job id.
            assertThat(PrometheusText.allLabelValues(text)).as(endpoint)
                    .noneMatch(v -> v.matches(".*\\d{8,}.*") || v.contains("4915") || v.contains("/"));
        }
    }

    @Test
    void everyEndpointIsLiveAndReady() throws Exception {
        assertThat(stack.metricsEndpoints().keySet()).containsExactly("upload-worker", "sender-worker", "webhook-receiver", "funnel",
                "sandbox");
        for (URI metrics : stack.metricsEndpoints().values()) {
            HttpResponse<String> live = get(metrics.resolve("/health/live"));
            // The funnel's Kafka Streams may still be rebalancing its sub-topologies right after start.
            org.awaitility.Awaitility.await(metrics + " ready").atMost(java.time.Duration.ofSeconds(60))
                    .pollInterval(java.time.Duration.ofMillis(200))
                    .until(() -> get(metrics.resolve("/health/ready")).statusCode() == 200);
            HttpResponse<String> ready = get(metrics.resolve("/health/ready"));
            assertThat(live.statusCode()).as("%s live: %s", metrics, live.body()).isEqualTo(200);
            assertThat(ready.statusCode()).as("%s ready: %s", metrics, ready.body()).isEqualTo(200);
            assertThat(ready.body()).startsWith("{\"status\":\"UP\"");
        }
        assertThat(get(stack.metricsEndpoints().get("sender-worker").resolve("/health/ready")).body())
                .contains("\"registry\":true", "\"group\":true", "\"kafka\":true");
    }

    private static Set<Set<String>> labels(String... keys) {
        return Set.of(new TreeSet<>(List.of(keys)));
    }

    private static String scrape(String endpoint) throws Exception {
        HttpResponse<String> response = get(stack.metricsEndpoints().get(endpoint));
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void publish(List<ObjectNode> jobs) {
        Jobs.publish(stack.bootstrap(), stack.topics().jobs(), jobs);
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
