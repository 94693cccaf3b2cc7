package io.wabatch.sandbox.api;

import static io.wabatch.sandbox.api.TestSandbox.META_ID;
import static io.wabatch.sandbox.api.TestSandbox.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.wabatch.sandbox.api.RawHttp.Response;
import io.wabatch.sandbox.origin.MediaOrigin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The answer delay of {@code /messages} and {@code /media}: fixed, uniform, none; changeable at runtime. */
@Timeout(60)
class LatencyTest {

    private static TestSandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = TestSandbox.start(b -> b.seed(7L));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
        sandbox.sendMeta(text("4915100000001", "warm up the connection"));
        sandbox.reset();
    }

    @Test
    void fixedLatencyDelaysEveryAnswerButNotTheAcceptanceTime() {
        sandbox.server.setLatency(Latency.fixed(Duration.ofMillis(200)));

        long before = System.currentTimeMillis();
        Timed<Response> sent = time(() -> sandbox.sendMeta(text("4915100000002", "slow")));
        Timed<Response> rejected = time(() -> sandbox.sendMeta(text("12", "bad phone, slow too")));

        assertThat(sent.value().status()).isEqualTo(200);
        assertThat(sent.elapsed()).isBetween(Duration.ofMillis(200), Duration.ofMillis(2_000));
        assertThat(rejected.value().code()).isEqualTo(131009);
        assertThat(rejected.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(time(() -> sandbox.send360(text("4915100000005", "360dialog path"))).elapsed())
                .isGreaterThanOrEqualTo(Duration.ofMillis(200));
        long acceptedAt = sandbox.server.messages(META_ID).get(0).receivedAtMs();
        assertThat(acceptedAt - before).as("recorded on arrival, answered later").isLessThan(150);
    }

    @Test
    void uploadsAreDelayedToo() {
        sandbox.server.setLatency(Latency.fixed(Duration.ofMillis(200)));

        Timed<Response> upload = time(() -> sandbox.uploadMeta(TestSandbox.form("sample.jpg", "image/jpeg",
                MediaOrigin.sample("sample.jpg"))));

        assertThat(upload.value().status()).isEqualTo(200);
        assertThat(upload.elapsed()).isBetween(Duration.ofMillis(200), Duration.ofMillis(2_000));
    }

    @Test
    void withoutLatencyAnswersAreFast() {
        Duration fastest = Duration.ofHours(1);
        for (int i = 0; i < 5; i++) {
            Timed<Response> sent = time(() -> sandbox.sendMeta(text("4915100000003", "fast")));
            fastest = sent.elapsed().compareTo(fastest) < 0 ? sent.elapsed() : fastest;
        }
        assertThat(fastest).isLessThan(Duration.ofMillis(100));
    }

    @Test
    void uniformLatencyStaysWithinItsBoundsWithoutSerializingRequests() throws Exception {
        sandbox.server.setMps(META_ID, 10_000);
        sandbox.server.setLatency(Latency.uniform(Duration.ofMillis(50), Duration.ofMillis(300)));
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<Timed<Response>>> futures = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < 40; i++) {
                String body = text("49151" + (2000000 + i), "m");
                futures.add(pool.submit(() -> time(() -> sandbox.sendMeta(body))));
            }
            List<Duration> elapsed = new ArrayList<>();
            for (Future<Timed<Response>> future : futures) {
                assertThat(future.get().value().status()).isEqualTo(200);
                elapsed.add(future.get().elapsed());
            }
            Duration total = Duration.ofNanos(System.nanoTime() - start);

            assertThat(elapsed).allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(50), Duration.ofMillis(2_000)));
            assertThat(elapsed.stream().mapToLong(Duration::toMillis).max().orElseThrow()
                    - elapsed.stream().mapToLong(Duration::toMillis).min().orElseThrow())
                    .as("a spread, not one fixed delay").isGreaterThan(50);
            assertThat(total).as("timers, not a blocked event loop").isLessThan(Duration.ofMillis(40 * 50));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void latencyIsChangeableAtRuntimeThroughTheAdminEndpoint() {
        Response fixed = sandbox.admin("PUT", "/_sandbox/latency", "{\"fixed\": 250}");
        assertThat(fixed.status()).isEqualTo(200);
        assertThat(fixed.json().get("min_ms").asLong()).isEqualTo(250);
        assertThat(fixed.json().get("max_ms").asLong()).isEqualTo(250);
        assertThat(time(() -> sandbox.sendMeta(text("4915100000004", "slow"))).elapsed())
                .isGreaterThanOrEqualTo(Duration.ofMillis(250));

        Response uniform = sandbox.admin("PUT", "/_sandbox/latency", "{\"min\": \"PT0.01S\", \"max\": 30}");
        assertThat(uniform.json().get("min_ms").asLong()).isEqualTo(10);
        assertThat(sandbox.server.latency()).isEqualTo(Latency.uniform(Duration.ofMillis(10), Duration.ofMillis(30)));

        assertThat(sandbox.admin("PUT", "/_sandbox/latency", "{\"min\": 300, \"max\": 50}").status()).isEqualTo(400);
        assertThat(sandbox.admin("PUT", "/_sandbox/latency", "{\"fixed\": \"soon\"}").status()).isEqualTo(400);
        assertThat(sandbox.admin("PUT", "/_sandbox/latency", "{}").status()).isEqualTo(200);
        assertThat(sandbox.server.latency()).isEqualTo(Latency.NONE);
    }

    private record Timed<T>(T value, Duration elapsed) {
    }

    private static <T> Timed<T> time(Supplier<T> call) {
        long start = System.nanoTime();
        T value = call.get();
        return new Timed<>(value, Duration.ofNanos(System.nanoTime() - start));
    }
}
