package io.wabatch.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wabatch.common.metrics.MetricTag.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetricCatalogueTest {

    private static final Map<Source, Set<String>> SOURCES = Map.of(Source.CHANNELS, Set.of("acme-de"),
            Source.GROUPS, Set.of("wabatch-sender"), Source.TOPICS, Set.of("wa.jobs.ready"));

    /**
     * The series the dashboards and alert rules query, with their labels ({@code le} for histogram
     * buckets): renaming one breaks them, so this list changes only together with ops/grafana and
     * ops/prometheus.
     */
    private static final Map<String, Set<String>> DASHBOARD_SERIES = Map.ofEntries(
            Map.entry("wabatch_sender_messages_total", Set.of("channel", "type", "outcome")),
            Map.entry("wabatch_sender_pace_configured", Set.of("channel")),
            Map.entry("wabatch_sender_pace_current", Set.of("channel")),
            Map.entry("wabatch_sender_pace_inbound", Set.of("channel")),
            Map.entry("wabatch_sender_token_wait_seconds_count", Set.of("channel")),
            Map.entry("wabatch_sender_token_wait_seconds_sum", Set.of("channel")),
            Map.entry("wabatch_sender_in_flight", Set.of()),
            Map.entry("wabatch_sender_api_latency_seconds_bucket", Set.of("channel", "le")),
            Map.entry("wabatch_sender_errors_total", Set.of("channel", "code")),
            Map.entry("wabatch_sender_retries_total", Set.of("channel", "reason")),
            Map.entry("wabatch_sender_deferred_total", Set.of("channel", "reason")),
            Map.entry("wabatch_sender_channel_state", Set.of("channel", "state")),
            Map.entry("wabatch_sender_channel_waiting", Set.of("channel")),
            Map.entry("wabatch_sender_ledger_jobs", Set.of()),
            Map.entry("wabatch_upload_uploads_total", Set.of("channel", "type", "outcome")),
            Map.entry("wabatch_upload_bytes_total", Set.of("channel")),
            Map.entry("wabatch_upload_cache_total", Set.of("result")),
            Map.entry("wabatch_upload_spool_bytes", Set.of()),
            Map.entry("wabatch_upload_upload_latency_seconds_count", Set.of("channel")),
            Map.entry("wabatch_upload_download_latency_seconds_count", Set.of("type")),
            Map.entry("wabatch_dlq_records_total", Set.of("stage", "code")),
            Map.entry("wabatch_kafka_consumer_lag", Set.of("group", "topic")),
            Map.entry("wabatch_funnel_priced_messages_total", Set.of("category", "type")),
            Map.entry("wabatch_funnel_estimated_cost_total", Set.of("category")));

    @Test
    void everyMetricIsScrapedUnderItsCataloguedPrometheusNameWithItsTags() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        for (Metric metric : Metric.values()) {
            register(metric, registry);
        }
        Map<String, Set<Set<String>>> scraped = PrometheusText.series(registry.scrape());

        for (Metric metric : Metric.values()) {
            Set<String> keys = new TreeSet<>(metric.tags().stream().map(MetricTag::key).toList());
            String name = metric.prometheusName();
            switch (metric.kind()) {
                case COUNTER, GAUGE -> assertThat(scraped).as(metric.name()).containsEntry(name, Set.of(keys));
                case TIMER -> Stream.of("_count", "_sum", "_max").forEach(suffix ->
                        assertThat(scraped).as(metric.name()).containsEntry(name + suffix, Set.of(keys)));
                case HISTOGRAM -> {
                    Set<String> bucket = new TreeSet<>(keys);
                    bucket.add("le");
                    assertThat(scraped).as(metric.name()).containsEntry(name + "_bucket", Set.of(bucket));
                    assertThat(scraped).as(metric.name()).containsEntry(name + "_count", Set.of(keys));
                }
            }
        }
    }

    @Test
    void theSeriesDashboardsQueryExistWithTheirLabels() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        for (Metric metric : Metric.values()) {
            register(metric, registry);
        }
        Map<String, Set<Set<String>>> scraped = PrometheusText.series(registry.scrape());

        DASHBOARD_SERIES.forEach((name, labels) -> assertThat(scraped).as(name).containsEntry(name,
                Set.of(new TreeSet<>(labels))));
    }

    @Test
    void aRegistryOfCataloguedMetersWithDeclaredValuesHasNoProblems() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        for (Metric metric : Metric.values()) {
            register(metric, registry);
        }

        assertThat(MetricCheck.problems(registry, SOURCES)).isEmpty();
    }

    @Test
    void aMeterMissingFromTheCatalogueIsAProblem() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Counter.builder("wabatch.sender.surprises").tag("channel", "acme-de").register(registry).increment();
        Counter.builder("jvm.not.ours").register(registry).increment();

        assertThat(MetricCheck.problems(registry, SOURCES))
                .containsExactly("wabatch.sender.surprises is not in the metric catalogue");
    }

    @Test
    void anUndeclaredTagKeyOrValueIsAProblem() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Counter.builder("wabatch.sender.messages").tags("channel", "acme-de", "type", "text", "outcome", "accepted",
                "to", "4915112345678").register(registry);
        Counter.builder("wabatch.sender.errors").tags("channel", "acme-de", "code", "999999").register(registry);
        Counter.builder("wabatch.sender.retries").tags("channel", "not-a-channel", "reason", "lower_pace")
                .register(registry);
        Counter.builder("wabatch.upload.cache").register(registry);

        assertThat(MetricCheck.problems(registry, SOURCES)).containsExactlyInAnyOrder(
                "wabatch.sender.messages has tag 'to', which is not declared",
                "wabatch.sender.errors has code='999999', outside the declared values",
                "wabatch.sender.retries has channel='not-a-channel', outside the declared values",
                "wabatch.upload.cache lacks tag(s) [result]");
    }

    @Test
    void aMeterOfAnotherTypeThanCataloguedIsAProblem() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.timer("wabatch.upload.singleflight.joins").record(Duration.ofMillis(1));

        assertThat(MetricCheck.problems(registry, SOURCES))
                .containsExactly("wabatch.upload.singleflight.joins is a TIMER, catalogued as COUNTER");
    }

    @Test
    void registeringWithOtherTagKeysThanDeclaredFails() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        assertThatThrownBy(() -> Metric.SENDER_ERRORS.counter(registry, "channel", "acme-de"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes tags [channel, code]");
        assertThatThrownBy(() -> Metric.SENDER_ERRORS.counter(registry, "channel", "acme-de", "recipient", "49151"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Metric.SENDER_IN_FLIGHT.counter(registry)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void metricNamesAreUniqueAndFollowTheConvention() {
        List<String> names = Stream.of(Metric.values()).map(Metric::meterName).toList();

        assertThat(names).doesNotHaveDuplicates().allMatch(n -> n.matches("wabatch\\.(sender|upload|dlq|kafka|webhook|funnel)\\.[a-z.]+"));
    }

    @ParameterizedTest
    @CsvSource({"invalid_job,invalid_job", "media_unavailable,media_unavailable", "130429,130429", "131026,131026",
            "http_502,http_5xx", "http_404,http_4xx", "http_302,other", "transport,transport", "987654,other",
            "'<script>',other", "in_doubt,in_doubt"})
    void errorCodesAreBounded(String code, String tag) {
        assertThat(ErrorCodes.bounded(code)).isEqualTo(tag);
        assertThat(ErrorCodes.ALL).contains(tag);
    }

    @Test
    void theTableHasARowPerMetric() {
        String table = MetricDocs.markdown();

        for (Metric metric : Metric.values()) {
            assertThat(table).contains("`" + metric.meterName() + "`");
        }
        assertThat(table).contains("`wabatch_sender_api_latency_seconds_bucket`").contains("`130429`");
    }

    /** Registers one meter of {@code metric} with an allowed value for each tag, and gives it a value. */
    private static void register(Metric metric, MeterRegistry registry) {
        List<String> tags = new ArrayList<>();
        for (MetricTag tag : metric.tags()) {
            tags.add(tag.key());
            tags.add(tag.source() != null ? SOURCES.get(tag.source()).iterator().next()
                    : new TreeSet<>(tag.values()).first());
        }
        String[] keyValues = tags.toArray(String[]::new);
        switch (metric.kind()) {
            case COUNTER -> metric.counter(registry, keyValues).increment();
            case GAUGE -> metric.gauge(registry, () -> 1, keyValues);
            case TIMER, HISTOGRAM -> metric.timer(registry, keyValues).record(Duration.ofMillis(12));
        }
    }
}
