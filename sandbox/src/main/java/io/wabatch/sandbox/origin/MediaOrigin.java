package io.wabatch.sandbox.origin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.wabatch.sandbox.Blocking;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local HTTP origin for link media: serves the bundled samples at {@code /media/<name>}
 * ({@code sample.jpg}, {@code sample.png}, {@code sticker.webp}, {@code sample.mp4}, {@code voice.ogg},
 * {@code sample.m4a}, {@code sample.mp3}, {@code sample.pdf}, {@code sample.txt}) with their MIME
 * types, plus any {@link Route} a test registers. Counts requests per path and keeps the headers of
 * the last request to each path. Unknown paths answer 404.
 *
 * <p>{@link #start()} and {@link #close()} block; the other methods are thread-safe and cheap.
 */
public final class MediaOrigin implements AutoCloseable {

    /** The bundled samples and their MIME types. */
    public static final Map<String, String> SAMPLES = samples();

    private static final Logger LOG = LoggerFactory.getLogger(MediaOrigin.class);
    private static final String SAMPLE_DIR = "io/wabatch/sandbox/media/";
    private static final long TIMEOUT_SECONDS = 30;

    private final Vertx vertx;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> lastHeaders = new ConcurrentHashMap<>();
    private int port;
    private final String publicHost;

    private MediaOrigin(Vertx vertx, String publicHost) {
        this.vertx = vertx;
        this.publicHost = publicHost;
        SAMPLES.forEach((name, mime) -> routes.put("/media/" + name, Route.bytes(sample(name), mime)));
    }

    /** Starts on 127.0.0.1 on a free port. */
    public static MediaOrigin start() {
        return start(0);
    }

    /** Starts on 127.0.0.1 on {@code port} (0 = free port). */
    public static MediaOrigin start(int port) {
        return start("127.0.0.1", port, "127.0.0.1");
    }

    /**
     * Starts on {@code bindHost}:{@code port} (0 = free port); its {@link #url URLs} name
     * {@code publicHost}, the name other machines reach it by (e.g. a compose service name).
     */
    public static MediaOrigin start(String bindHost, int port, String publicHost) {
        MediaOrigin origin = new MediaOrigin(Vertx.vertx(), publicHost);
        RouteResponder responder = new RouteResponder(origin.vertx);
        // Plain HTTP/1.1 like a CDN origin over http: no h2c upgrade (the JDK client attempts one on GET).
        HttpServer server = origin.vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false))
                .requestHandler(req -> origin.handle(req, responder));
        try {
            origin.port = await(server.listen(port, bindHost)).actualPort();
        } catch (RuntimeException e) {
            origin.vertx.close();
            throw e;
        }
        LOG.info("Media origin listening on {}", origin.url("/"));
        return origin;
    }

    private void handle(HttpServerRequest request, RouteResponder responder) {
        String path = request.path();
        counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach(h -> headers.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(),
                (a, b) -> a + ", " + b));
        lastHeaders.put(path, Map.copyOf(headers));
        Route route = routes.get(path);
        responder.respond(request, route != null ? route : Route.status(404));
    }

    /** The bound port. */
    public int port() {
        return port;
    }

    /** The absolute URL of {@code path} (with or without a leading slash) on this origin. */
    public String url(String path) {
        return "http://" + publicHost + ":" + port + (path.startsWith("/") ? path : "/" + path);
    }

    /** Makes {@code path} (e.g. {@code /big.mp4}) answer with {@code route}, replacing any earlier one. */
    public void register(String path, Route route) {
        routes.put(path.startsWith("/") ? path : "/" + path, route);
    }

    /** How many requests {@code path} received (any method, any answer). */
    public int requestCount(String path) {
        AtomicInteger count = counts.get(path.startsWith("/") ? path : "/" + path);
        return count == null ? 0 : count.get();
    }

    /** Headers of the last request to {@code path}, names lower-cased; empty before the first. */
    public Map<String, String> lastRequestHeaders(String path) {
        return lastHeaders.getOrDefault(path.startsWith("/") ? path : "/" + path, Map.of());
    }

    /** Stops the server. */
    @Override
    public void close() {
        await(vertx.close());
    }

    private static Map<String, String> samples() {
        Map<String, String> samples = new LinkedHashMap<>();
        samples.put("sample.jpg", "image/jpeg");
        samples.put("sample.png", "image/png");
        samples.put("sticker.webp", "image/webp");
        samples.put("sample.mp4", "video/mp4");
        samples.put("voice.ogg", "audio/ogg");
        samples.put("sample.m4a", "audio/mp4");
        samples.put("sample.mp3", "audio/mpeg");
        samples.put("sample.pdf", "application/pdf");
        samples.put("sample.txt", "text/plain");
        return Map.copyOf(samples);
    }

    /** A bundled sample's bytes (each is a few KB). */
    public static byte[] sample(String name) {
        try (InputStream in = MediaOrigin.class.getClassLoader().getResourceAsStream(SAMPLE_DIR + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no bundled sample '" + name + "'; have " + SAMPLES.keySet());
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sample " + name, e);
        }
    }

    private static <T> T await(Future<T> future) {
        return Blocking.await(future, TIMEOUT_SECONDS, "media origin");
    }
}
