package io.wabatch.upload.media;

import io.wabatch.upload.cache.CacheDirective;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.wabatch.common.contract.MediaType;
import io.wabatch.sandbox.origin.MediaOrigin;
import io.wabatch.sandbox.origin.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a real local origin over loopback HTTP. */
@Timeout(60)
class MediaFetcherIT {

    private static MediaOrigin origin;
    private static Vertx vertx;
    private static HttpClient http;
    @TempDir
    Path spool;

    @BeforeAll
    static void start() {
        origin = MediaOrigin.start();
        vertx = Vertx.vertx();
        http = vertx.createHttpClient();
    }

    @AfterAll
    static void stop() {
        origin.close();
        vertx.close();
    }

    @Test
    void spoolsTheBytesWithTheirHashAndMime() throws Exception {
        SpooledMedia media = fetch(new LinkMedia("/image", MediaType.IMAGE, origin.url("/media/sample.jpg")), true);
        byte[] expected = MediaOrigin.sample("sample.jpg");
        assertThat(Files.readAllBytes(media.file())).isEqualTo(expected);
        assertThat(media.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(expected)));
        assertThat(media.mimeType()).isEqualTo("image/jpeg");
        assertThat(media.filename()).isEqualTo("sample.jpg");
    }

    @Test
    void followsRedirectsUpToTheLimit() throws Exception {
        origin.register("/r1", Route.status(302).withHeader("Location", "/media/sample.png"));
        assertThat(fetch(new LinkMedia("/image", MediaType.IMAGE, origin.url("/r1")), true).mimeType()).isEqualTo("image/png");
        origin.register("/loop", Route.status(302).withHeader("Location", "/loop"));
        assertThat(failure(new LinkMedia("/image", MediaType.IMAGE, origin.url("/loop"))).getMessage()).contains("more than 2 redirects");
    }

    @Test
    void rejectsWithActionableReasons() throws Exception {
        origin.register("/html.jpg", Route.bytes("<html>hi</html>".getBytes(), "text/html"));
        origin.register("/big.webp", Route.bytes(new byte[600 * 1024], "image/webp"));
        origin.register("/missing.jpg", Route.status(404));
        origin.register("/empty.jpg", Route.bytes(new byte[0], "image/jpeg"));
        assertThat(failure(new LinkMedia("/image", MediaType.IMAGE, origin.url("/html.jpg"))).getMessage())
                .contains("served an HTML page instead of the image");
        assertThat(failure(new LinkMedia("/sticker", MediaType.STICKER, origin.url("/big.webp"))).getMessage())
                .contains("larger than WhatsApp's sticker limit of 500 KB");
        assertThat(failure(new LinkMedia("/image", MediaType.IMAGE, origin.url("/missing.jpg"))).getMessage())
                .contains("origin answered HTTP 404");
        assertThat(failure(new LinkMedia("/image", MediaType.IMAGE, origin.url("/empty.jpg"))).getMessage())
                .contains("empty body");
        assertThat(failure(new LinkMedia("/audio", MediaType.AUDIO, origin.url("/media/sample.jpg"))).getMessage())
                .contains("the file is image/jpeg (declared image/jpeg); an audio must be one of [audio/aac");
        try (var files = Files.list(spool)) {
            assertThat(files).as("no spool file left behind").isEmpty();
        }
    }

    @Test
    void originErrorsAreRetriedThenFinal() {
        origin.register("/flaky.jpg", Route.status(503));
        origin.register("/gone.jpg", Route.status(410));
        assertThat(failure(new LinkMedia("/image", MediaType.IMAGE, origin.url("/flaky.jpg"))).getMessage())
                .contains("HTTP 503");
        assertThat(origin.requestCount("/flaky.jpg")).as("5xx retried up to maxAttempts").isEqualTo(2);
        failure(new LinkMedia("/image", MediaType.IMAGE, origin.url("/gone.jpg")));
        assertThat(origin.requestCount("/gone.jpg")).as("4xx is final").isEqualTo(1);
    }

    @Test
    void aSlowlorisOriginIsCutOffByTheMinimumThroughput() throws Exception {
        origin.register("/slow.jpg", Route.bytes(new byte[64 * 1024], "image/jpeg").withThrottle(200));
        MediaException e = failure(new LinkMedia("/image", MediaType.IMAGE, origin.url("/slow.jpg")));
        assertThat(e.getMessage()).contains("origin too slow");
        try (var files = Files.list(spool)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void conditionalRequestGetsNotModified() throws Exception {
        origin.register("/etag.jpg", Route.bytes(MediaOrigin.sample("sample.jpg"), "image/jpeg").withHeader("ETag", "\"v1\""));
        FetchResult result = await(fetcher(true).fetch(new LinkMedia("/image", MediaType.IMAGE, origin.url("/etag.jpg")),
                new CacheDirective(null, true, true, "\"v1\"", null)));
        assertThat(result).isInstanceOf(FetchResult.NotModified.class);
        assertThat(origin.lastRequestHeaders("/etag.jpg")).containsEntry("if-none-match", "\"v1\"");
    }

    @Test
    void loopbackIsRefusedWithoutAllowlist() {
        origin.register("/private.jpg", Route.bytes(MediaOrigin.sample("sample.jpg"), "image/jpeg"));
        MediaException e = failure(new LinkMedia("/image", MediaType.IMAGE, origin.url("/private.jpg")), false);
        assertThat(e.code()).isEqualTo(MediaException.BLOCKED);
        assertThat(origin.requestCount("/private.jpg")).as("no request reached the origin").isZero();
    }

    private SpooledMedia fetch(LinkMedia link, boolean allowLoopback) throws Exception {
        return await(fetcher(allowLoopback).fetch(link));
    }

    private MediaException failure(LinkMedia link) {
        return failure(link, true);
    }

    private MediaException failure(LinkMedia link, boolean allowLoopback) {
        try {
            fetch(link, allowLoopback);
        } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(MediaException.class);
            return (MediaException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected " + link + " to fail");
    }

    private MediaFetcher fetcher(boolean allowLoopback) {
        return new MediaFetcher(vertx, http, new LinkGuard(allowLoopback ? List.of("127.0.0.0/8") : List.of()), spool,
                new SpoolBudget(1L << 30), new FetchOptions(2, Duration.ofSeconds(20), Duration.ofSeconds(5), 1024,
                        Duration.ofSeconds(2), 2, Duration.ofMillis(50)));
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
