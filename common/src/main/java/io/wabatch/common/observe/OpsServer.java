package io.wabatch.common.observe;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process's operations endpoint: {@code GET /metrics} (Prometheus text format),
 * {@code GET /health/live} and {@code GET /health/ready} (200 when up, 503 when down, a JSON body
 * naming each check). It runs on a small Vert.x instance of its own, so it answers while the worker
 * is still starting ({@link HealthCheck#STARTING} until {@link #health} is set) and whatever the
 * worker's event loops are doing.
 */
public final class OpsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final long START_TIMEOUT_SECONDS = 30;

    private final Vertx vertx;
    private final HttpServer server;
    private final String host;
    private volatile HealthCheck health = HealthCheck.STARTING;

    private OpsServer(String host, Supplier<String> metrics) {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        // Plain HTTP/1.1, as Prometheus and probes speak it: no h2c upgrade of a multi-megabyte scrape.
        this.server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false))
                .requestHandler(request -> handle(request, metrics));
        this.host = host;
    }

    /**
     * Listens on {@code host:port} (0 = a free port).
     *
     * @param metrics the scrape, e.g. {@code PrometheusMeterRegistry::scrape}; called on the server's event loop
     * @throws IllegalStateException when the port cannot be bound
     */
    public static OpsServer start(String host, int port, Supplier<String> metrics) {
        OpsServer ops = new OpsServer(host, Objects.requireNonNull(metrics, "metrics"));
        try {
            ops.server.listen(port, host).await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            ops.close();
            throw new IllegalStateException("cannot listen on " + host + ":" + port + " for /metrics and /health: "
                    + e.getMessage(), e);
        }
        LOG.info("metrics and health on {}", ops.uri("/"));
        return ops;
    }

    /** What the health probes answer from now on. */
    public void health(HealthCheck check) {
        health = Objects.requireNonNull(check, "check");
    }

    /** The bound port. */
    public int port() {
        return server.actualPort();
    }

    /** {@code http://host:port<path>}; a wildcard bind address is shown as loopback. */
    public URI uri(String path) {
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return URI.create("http://" + shown + ":" + port() + path);
    }

    /** The URL of {@code /metrics}. */
    public URI metricsUri() {
        return uri("/metrics");
    }

    private void handle(HttpServerRequest request, Supplier<String> metrics) {
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            request.response().setStatusCode(405).putHeader("Allow", "GET").end();
            return;
        }
        switch (request.path()) {
            case "/metrics" -> request.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(metrics.get());
            case "/health/live" -> answer(request, health.live());
            case "/health/ready" -> answer(request, health.ready());
            default -> request.response().setStatusCode(404).putHeader("Content-Type", "text/plain")
                    .end("not found: try /metrics, /health/live or /health/ready\n");
        }
    }

    private static void answer(HttpServerRequest request, Health health) {
        request.response().setStatusCode(health.up() ? 200 : 503).putHeader("Content-Type", "application/json")
                .end(health.json());
    }

    /** Stops listening and closes its Vert.x instance. */
    @Override
    public void close() {
        Future<Void> closed = vertx.close();
        try {
            closed.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("ops server close: {}", e.toString());
        }
    }
}
