package io.wabatch.common.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class OpsServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesThePrometheusScrapeWithJvmMeters() throws Exception {
        PrometheusMeterRegistry meters = Observability.prometheus();
        Counter.builder("wabatch.test.things").register(meters).increment(3);
        try (OpsServer ops = OpsServer.start("127.0.0.1", 0, meters::scrape)) {
            HttpResponse<String> scrape = get(ops.metricsUri());

            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
            assertThat(scrape.body()).contains("wabatch_test_things_total 3.0").contains("jvm_memory_used_bytes{")
                    .contains("jvm_gc_").contains("jvm_threads_live_threads").contains("jvm_classes_loaded_classes")
                    .contains("process_cpu_usage").contains("process_uptime_seconds");
        }
    }

    @Test
    void isLiveAndNotReadyWhileStartingThenAnswersForTheWorker() throws Exception {
        AtomicBoolean joined = new AtomicBoolean();
        try (OpsServer ops = OpsServer.start("127.0.0.1", 0, () -> "")) {
            assertThat(get(ops.uri("/health/live")).statusCode()).isEqualTo(200);
            HttpResponse<String> starting = get(ops.uri("/health/ready"));
            assertThat(starting.statusCode()).isEqualTo(503);
            assertThat(starting.body()).isEqualTo("{\"status\":\"DOWN\",\"checks\":{\"started\":false}}");

            ops.health(new HealthCheck() {
                @Override
                public Health live() {
                    return Health.of("loop", true);
                }

                @Override
                public Health ready() {
                    return new Health(Map.of("group", joined.get()));
                }
            });
            assertThat(get(ops.uri("/health/ready")).statusCode()).isEqualTo(503);
            joined.set(true);
            HttpResponse<String> ready = get(ops.uri("/health/ready"));
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("{\"status\":\"UP\",\"checks\":{\"group\":true}}");
        }
    }

    @Test
    void aScrapeOfMegabytesReachesAClientThatOffersHttp2() throws Exception {
        String big = "wabatch_test_series{channel=\"acme-de\"} 1.0\n".repeat(150_000);
        try (OpsServer ops = OpsServer.start("127.0.0.1", 0, () -> big)) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> scrape = get(ops.metricsUri());
                assertThat(scrape.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
                assertThat(scrape.body()).hasSameSizeAs(big);
            }
        }
    }

    @Test
    void otherPathsAreNotFound() throws Exception {
        try (OpsServer ops = OpsServer.start("127.0.0.1", 0, () -> "")) {
            assertThat(get(ops.uri("/")).statusCode()).isEqualTo(404);
            assertThat(get(ops.uri("/health")).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aPortInUseFailsWithAReasonNamingIt() {
        try (OpsServer first = OpsServer.start("127.0.0.1", 0, () -> "")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> OpsServer.start("127.0.0.1", first.port(), () -> ""))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining(":" + first.port());
        }
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
