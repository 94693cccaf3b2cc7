package io.wabatch.upload;

import static io.wabatch.upload.UploadStack.D360;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.kafka.Outputs;
import io.wabatch.sandbox.origin.MediaOrigin;
import io.wabatch.sandbox.origin.Route;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every unusable media link ends in {@code wa.dlq} with a reason a producer can act on and a
 * {@code failed} result; the worker keeps running (a valid job right after is processed) and no
 * spool file is left behind. Only {@code 127.0.0.0/8} is allowed besides public addresses.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MediaValidationIT {

    private static final org.slf4j.Logger FIGURES = org.slf4j.LoggerFactory.getLogger("figures");

    private static final int MAX_ATTEMPTS = 3;
    private static final AtomicLong NUMBERS = new AtomicLong(6_000_000);
    private static UploadStack stack;
    private static String validCampaign;

    @BeforeAll
    static void start() throws Exception {
        stack = UploadStack.start("validation", Map.of("media.allow", "127.0.0.0/8",
                "media.fetch.max.attempts", String.valueOf(MAX_ATTEMPTS), "media.max.redirects", "5"));
        MediaOrigin origin = stack.origin;
        origin.register("/html.jpg", Route.bytes(("<!DOCTYPE html><html><head><title>Sign in</title></head>"
                + "<body><form>Please sign in</form></body></html>").getBytes(StandardCharsets.UTF_8), "image/jpeg"));
        origin.register("/pdf-as.jpg", Route.bytes(MediaOrigin.sample("sample.pdf"), "image/jpeg"));
        byte[] bigSticker = new byte[600 * 1024];
        System.arraycopy("RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.US_ASCII), 0, bigSticker, 0, 16);
        origin.register("/big.webp", Route.bytes(bigSticker, "image/webp"));
        origin.register("/empty.jpg", Route.bytes(new byte[0], "image/jpeg"));
        origin.register("/loop.jpg", Route.status(302).withHeader("Location", "/loop.jpg"));
        origin.register("/missing.jpg", Route.status(404));
        origin.register("/flaky.jpg", Route.status(503));
        origin.register("/to-private.jpg", Route.status(302).withHeader("Location", "http://10.255.255.1/x.jpg"));
        origin.register("/docs/price-list.pdf", Route.bytes(MediaOrigin.sample("sample.pdf"), "application/pdf"));
        validCampaign = "valid-" + UUID.randomUUID().toString().substring(0, 6);
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    /**
     * One unusable link.
     *
     * @param originPath     the origin path it hits, or null when it must not reach the origin
     * @param originRequests the requests the origin must see, or -1 when not checked
     */
    record Case(String name, Function<MediaOrigin, ObjectNode> message, String code, String reasonPhrase,
                String originPath, int originRequests) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> unusableLinks() {
        return Stream.of(
                new Case("declared JPEG that is an HTML page", o -> TestJobs.image(o.url("/html.jpg")),
                        "media_rejected", "served an HTML page instead of the image", "/html.jpg", 1),
                new Case("declared JPEG that is a PDF", o -> TestJobs.image(o.url("/pdf-as.jpg")),
                        "media_rejected", "the file is application/pdf (declared image/jpeg); an image must be one of",
                        "/pdf-as.jpg", 1),
                new Case("sticker of 600 KB", o -> TestJobs.media("sticker", o.url("/big.webp")),
                        "media_rejected", "larger than WhatsApp's sticker limit of 500 KB", "/big.webp", 1),
                new Case("empty body", o -> TestJobs.image(o.url("/empty.jpg")),
                        "media_rejected", "empty body", "/empty.jpg", 1),
                new Case("non-http(s) link", o -> TestJobs.image("ftp://127.0.0.1:" + o.port() + "/media/sample.jpg"),
                        "invalid_job", "must be an http or https URL", null, 0),
                new Case("redirect loop", o -> TestJobs.image(o.url("/loop.jpg")),
                        "media_unavailable", "more than 5 redirects", "/loop.jpg", 6),
                new Case("origin 404", o -> TestJobs.image(o.url("/missing.jpg")),
                        "media_unavailable", "origin answered HTTP 404", "/missing.jpg", 1),
                new Case("origin 503", o -> TestJobs.image(o.url("/flaky.jpg")),
                        "media_unavailable", "origin answered HTTP 503", "/flaky.jpg", MAX_ATTEMPTS),
                new Case("private address", o -> TestJobs.image("http://10.255.255.1/x.jpg"),
                        "media_blocked", "resolves to 10.255.255.1, a private, loopback or link-local address",
                        null, 0),
                new Case("cloud metadata address", o -> TestJobs.image("http://169.254.169.254/latest/meta-data/x.jpg"),
                        "media_blocked", "resolves to 169.254.169.254", null, 0),
                new Case("redirect to a private address", o -> TestJobs.image(o.url("/to-private.jpg")),
                        "media_blocked", "resolves to 10.255.255.1", "/to-private.jpg", 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusableLinks")
    void unusableMediaEndInTheDlqWithTheirReasonWhileTheWorkerKeepsRunning(Case c) {
        String campaign = "invalid-" + UUID.randomUUID().toString().substring(0, 6);
        String jobId = campaign + "-job";
        long started = System.nanoTime();
        ObjectNode message = c.message().apply(stack.origin);
        stack.publish(TestJobs.single(jobId, campaign, D360, NUMBERS.incrementAndGet(), message));

        ConsumerRecord<byte[], byte[]> dead = stack.outputs().awaitDeadLetter(jobId);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(OutputTail.header(dead, Outputs.ERROR_CODE)).isEqualTo(c.code());
        assertThat(OutputTail.header(dead, Outputs.ERROR_REASON)).contains(c.reasonPhrase());
        assertThat(OutputTail.header(dead, Outputs.ERROR_STAGE)).isEqualTo("upload");
        JobResult result = stack.outputs().awaitResult(campaign, jobId);
        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.error().code()).isEqualTo(c.code());
        assertThat(result.error().details()).contains(c.reasonPhrase());
        if (c.originPath() != null) {
            assertThat(stack.origin.requestCount(c.originPath())).as("requests to the origin")
                    .isEqualTo(c.originRequests());
        }
        FIGURES.info(String.format("[figure] %s: dead letter after %d ms: %s", c.name(), millis,
                OutputTail.header(dead, Outputs.ERROR_REASON)));

        assertValidJobStillProcessed();
        await("no spool file left behind").atMost(Duration.ofSeconds(5))
                .until(() -> UploadStack.spoolFiles(stack.spoolDir()).isEmpty());
    }

    @Test
    void aDocumentWithoutFilenameGetsOneFromTheLinkAndAGivenOneIsKept() {
        String campaign = "filename-" + UUID.randomUUID().toString().substring(0, 6);
        stack.publish(TestJobs.single(campaign + "-derived", campaign, D360, NUMBERS.incrementAndGet(),
                TestJobs.document(stack.origin.url("/docs/price-list.pdf") + "?v=3", null)));
        stack.publish(TestJobs.single(campaign + "-kept", campaign, D360, NUMBERS.incrementAndGet(),
                TestJobs.document(stack.origin.url("/docs/price-list.pdf") + "?v=3", "Prices Q3.pdf")));

        ReadyJob derived = stack.outputs().awaitReadyJob(campaign, campaign + "-derived");
        ReadyJob kept = stack.outputs().awaitReadyJob(campaign, campaign + "-kept");
        assertThat(derived.message().path("document").path("filename").asText()).isEqualTo("price-list.pdf");
        assertThat(kept.message().path("document").path("filename").asText()).isEqualTo("Prices Q3.pdf");
        assertThat(derived.message().path("document").has("id")).isTrue();
        assertThat(derived.message().path("document").has("link")).isFalse();
    }

    private static void assertValidJobStillProcessed() {
        String jobId = validCampaign + "-" + NUMBERS.incrementAndGet();
        stack.publish(TestJobs.single(jobId, validCampaign, D360, NUMBERS.get(),
                TestJobs.image(stack.origin.url("/media/sample.jpg"))));
        assertThat(stack.outputs().awaitReadyJob(validCampaign, jobId).message().path("image").path("id").asText())
                .isNotBlank();
        assertThat(stack.worker().failure()).isNull();
    }
}
