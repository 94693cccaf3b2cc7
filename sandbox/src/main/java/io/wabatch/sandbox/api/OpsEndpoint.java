package io.wabatch.sandbox.api;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.UUID;

/**
 * The sandbox's own {@code /metrics} (JVM meters and Vert.x's HTTP server meters of the API, in
 * Prometheus text format), {@code /health/live} and {@code /health/ready}, on a port of their own.
 * Written here, not shared with the workers: the sandbox shares no code with them.
 */
final class OpsEndpoint {

    private final PrometheusMeterRegistry registry;
    private HttpServer server;

    private OpsEndpoint(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    /** An endpoint's registry with the JVM meters bound; the Vert.x instance records into it. */
    static OpsEndpoint create() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Vert.x Micrometer defect vert-x3/vertx-micrometer-metrics#259: each endpoint of an HTTP client, each pool and
        // each instance of a shared server registers its own gauges (active connections and requests, pool usage)
        // under one id; Micrometer keeps the first, so the figure is one endpoint's, and warns. Vert.x's gauges are
        // left out; its counters and timers (requests, bytes, latency) stay.
        registry.config().meterFilter(MeterFilter.deny(id -> id.getType() == Meter.Type.GAUGE
                && id.getName().startsWith("vertx.")));
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return new OpsEndpoint(registry);
    }

    /** A Vert.x instance whose HTTP servers record into this endpoint's registry. */
    Vertx instrumentedVertx() {
        VertxOptions options = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
                .setRegistryName("sandbox-" + UUID.randomUUID()));
        return Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry)).build();
    }

    /** Listens on {@code host:port} (0 = free); completes with the bound port. */
    Future<Integer> listen(Vertx vertx, String host, int port) {
        // Plain HTTP/1.1, as Prometheus and probes speak it: no h2c upgrade of a large scrape.
        server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false))
                .requestHandler(this::handle);
        return server.listen(port, host).map(HttpServer::actualPort);
    }

    private void handle(HttpServerRequest request) {
        switch (request.path()) {
            case "/metrics" -> request.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(registry.scrape());
            // Once this endpoint listens, the API listens too: the server starts it last.
            case "/health/live", "/health/ready" -> request.response().putHeader("Content-Type", "application/json")
                    .end("{\"status\":\"UP\",\"checks\":{\"api\":true}}");
            default -> request.response().setStatusCode(404).end();
        }
    }
}
