package io.wabatch.common.observe;

import io.micrometer.core.instrument.MeterRegistry;
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
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.UUID;

/** The meter registries and instrumented Vert.x instances of wabatch's processes. */
public final class Observability {

    private Observability() {
    }

    /**
     * A Prometheus registry with the JVM's meters: memory, GC, threads, class loading, processor and
     * uptime. Its GC meters hold a listener for the life of the process, which is what a process's
     * registry lives for.
     */
    public static PrometheusMeterRegistry prometheus() {
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
        return registry;
    }

    /**
     * A Vert.x instance whose HTTP clients, servers and pools record into {@code registry}
     * ({@code vertx_*} meters; labels: HTTP method and status, client name, pool type and name).
     */
    public static Vertx vertx(MeterRegistry registry) {
        return vertx(registry, new VertxOptions());
    }

    /** As {@link #vertx(MeterRegistry)} with {@code options}. */
    public static Vertx vertx(MeterRegistry registry, VertxOptions options) {
        // Vert.x keeps backends in a static map by name: a name per instance keeps two workers' registries apart.
        options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
                .setRegistryName("wabatch-" + UUID.randomUUID())
                // Vert.x's default labels, plus the HTTP client's name (whatsapp-api, media-origin): two clients
                // of one instance would otherwise share, and fight over, one set of gauges.
                .addLabels(Label.CLIENT_NAME));
        return Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry)).build();
    }
}
