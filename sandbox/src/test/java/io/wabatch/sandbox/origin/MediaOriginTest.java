package io.wabatch.sandbox.origin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(60)
class MediaOriginTest {

    private static MediaOrigin origin;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        origin = MediaOrigin.start();
    }

    @AfterAll
    static void stop() {
        origin.close();
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({"sample.jpg, image/jpeg", "sample.png, image/png", "sticker.webp, image/webp", "sample.mp4, video/mp4",
        "voice.ogg, audio/ogg", "sample.m4a, audio/mp4", "sample.mp3, audio/mpeg", "sample.pdf, application/pdf",
        "sample.txt, text/plain"})
    void servesEveryBundledSampleWithItsMime(String name, String mime) throws Exception {
        HttpResponse<byte[]> response = get("/media/" + name, null, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(mime);
        assertThat(response.body()).isEqualTo(MediaOrigin.sample(name));
    }

    @Test
    void unknownPathIs404AndStillCounted() throws Exception {
        assertThat(get("/nope", null, null).statusCode()).isEqualTo(404);
        assertThat(origin.requestCount("/nope")).isEqualTo(1);
    }

    @Test
    void countsRequestsAndKeepsTheLastRequestsHeaders() throws Exception {
        origin.register("/counted.txt", Route.bytes("x".getBytes(), "text/plain"));

        get("/counted.txt", "X-Probe", "one");
        get("/counted.txt", "X-Probe", "two");

        assertThat(origin.requestCount("/counted.txt")).isEqualTo(2);
        assertThat(origin.lastRequestHeaders("/counted.txt")).containsEntry("x-probe", "two");
    }

    @Test
    void answersWithTheRegisteredStatusAndCachingHeaders() throws Exception {
        origin.register("/cached.jpg", Route.bytes(MediaOrigin.sample("sample.jpg"), "image/jpeg")
                .withHeader("Cache-Control", "max-age=60").withHeader("ETag", "\"v1\"")
                .withHeader("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT"));
        origin.register("/gone.jpg", Route.status(410));

        HttpResponse<byte[]> cached = get("/cached.jpg", null, null);
        HttpResponse<byte[]> revalidated = get("/cached.jpg", "If-None-Match", "\"v1\"");
        HttpResponse<byte[]> sinceModified = get("/cached.jpg", "If-Modified-Since", "Wed, 21 Oct 2015 07:28:00 GMT");

        assertThat(cached.headers().firstValue("Cache-Control")).hasValue("max-age=60");
        assertThat(cached.headers().firstValue("ETag")).hasValue("\"v1\"");
        assertThat(revalidated.statusCode()).isEqualTo(304);
        assertThat(revalidated.body()).isEmpty();
        assertThat(sinceModified.statusCode()).isEqualTo(304);
        assertThat(origin.lastRequestHeaders("/cached.jpg")).containsKey("if-modified-since");
        assertThat(get("/gone.jpg", null, null).statusCode()).isEqualTo(410);
    }

    @Test
    void delaysTheAnswer() throws Exception {
        origin.register("/slow.txt", Route.bytes("late".getBytes(), "text/plain").withDelay(Duration.ofMillis(400)));

        long start = System.nanoTime();
        HttpResponse<byte[]> response = get("/slow.txt", null, null);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.body()).isEqualTo("late".getBytes());
        assertThat(elapsedMs).isBetween(380L, 5_000L);
    }

    @Test
    void throttlesAStreamedFile(@TempDir Path dir) throws Exception {
        byte[] content = new byte[20_000];
        new Random(7).nextBytes(content);
        Path file = Files.write(dir.resolve("big.bin"), content);
        origin.register("/throttled.bin", Route.file(file, "application/octet-stream").withThrottle(10_000));
        origin.register("/fast.bin", Route.file(file, "application/octet-stream"));

        long start = System.nanoTime();
        HttpResponse<byte[]> throttled = get("/throttled.bin", null, null);
        long throttledMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(throttled.body()).isEqualTo(content);
        assertThat(throttled.headers().firstValueAsLong("Content-Length")).hasValue(20_000);
        // 20 KB at 10 KB/s: 20 chunks of 1 KB, one per 100 ms after the first, so about 1.9 s.
        assertThat(throttledMs).isBetween(1_500L, 10_000L);
        assertThat(get("/fast.bin", null, null).body()).isEqualTo(content);
    }

    @Test
    void throttlesInMemoryBytes() throws Exception {
        origin.register("/throttled.txt", Route.bytes(new byte[3_000], "text/plain").withThrottle(5_000));

        long start = System.nanoTime();
        HttpResponse<byte[]> response = get("/throttled.txt", null, null);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.body()).hasSize(3_000);
        // 3 KB at 5 KB/s: 6 chunks of 500 B, about 0.5 s.
        assertThat(elapsedMs).isBetween(400L, 10_000L);
    }

    private HttpResponse<byte[]> get(String path, String header, String value)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin.url(path)))
                .timeout(Duration.ofSeconds(30));
        if (header != null) {
            request.header(header, value);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
