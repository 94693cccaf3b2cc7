package io.wabatch.upload;

import static io.wabatch.upload.UploadStack.META;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.sandbox.origin.Route;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The media-id cache follows the origin's caching headers: {@code max-age} is reused while fresh
 * and fetched again after it; {@code no-cache} with {@code Last-Modified} is revalidated with a
 * conditional request and reused on 304; {@code no-store} is uploaded for every job; a changed
 * {@code Last-Modified} with new bytes is uploaded again; a link without caching headers is reused
 * within its campaign only. Each job has its own campaign unless the test is about the campaign.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CacheHeadersIT {

    private static final String LAST_MODIFIED = "Wed, 21 Oct 2015 07:28:00 GMT";
    private static final AtomicLong NUMBERS = new AtomicLong(5_000_000);
    private static UploadStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = UploadStack.start("cache", Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void maxAgeIsReusedWhileFreshWithoutAskingTheOriginAndFetchedAgainAfterItPasses() {
        byte[] image = UploadStack.uniqueJpeg("max-age");
        stack.origin.register("/max-age.jpg",
                Route.bytes(image, "image/jpeg").withHeader("Cache-Control", "max-age=2"));

        ReadyJob first = send("/max-age.jpg", campaign());
        Instant firstReady = Instant.now();
        double hitsBefore = cache("hit");
        ReadyJob whileFresh = send("/max-age.jpg", campaign());
        assertThat(stack.origin.requestCount("/max-age.jpg")).as("no request while fresh").isEqualTo(1);
        assertThat(mediaId(whileFresh)).isEqualTo(mediaId(first));
        assertThat(cache("hit") - hitsBefore).isEqualTo(1);

        await("max-age=2 has passed").atMost(Duration.ofSeconds(5))
                .until(() -> Instant.now().isAfter(firstReady.plusMillis(2_200)));
        ReadyJob afterMaxAge = send("/max-age.jpg", campaign());
        assertThat(stack.origin.requestCount("/max-age.jpg")).as("fetched again once stale").isEqualTo(2);
        assertThat(mediaId(afterMaxAge)).as("same bytes: the id is reused by hash").isEqualTo(mediaId(first));
        assertThat(stack.uploadsOf(UploadStack.sha256(image))).hasSize(1);
    }

    @Test
    void noCacheWithLastModifiedIsRevalidatedAndA304Reused() {
        byte[] image = UploadStack.uniqueJpeg("no-cache");
        stack.origin.register("/no-cache.jpg", Route.bytes(image, "image/jpeg")
                .withHeader("Cache-Control", "no-cache").withHeader("Last-Modified", LAST_MODIFIED));

        ReadyJob first = send("/no-cache.jpg", campaign());
        assertThat(stack.origin.lastRequestHeaders("/no-cache.jpg")).doesNotContainKey("if-modified-since");
        double revalidatedBefore = cache("revalidated");
        ReadyJob second = send("/no-cache.jpg", campaign());

        assertThat(stack.origin.requestCount("/no-cache.jpg")).as("a conditional request each time").isEqualTo(2);
        assertThat(stack.origin.lastRequestHeaders("/no-cache.jpg")).containsEntry("if-modified-since", LAST_MODIFIED);
        assertThat(mediaId(second)).as("304: the id is reused").isEqualTo(mediaId(first));
        assertThat(cache("revalidated") - revalidatedBefore).isEqualTo(1);
        assertThat(stack.uploadsOf(UploadStack.sha256(image))).hasSize(1);
    }

    @Test
    void noStoreIsUploadedForEveryJob() {
        byte[] image = UploadStack.uniqueJpeg("no-store");
        stack.origin.register("/no-store.jpg",
                Route.bytes(image, "image/jpeg").withHeader("Cache-Control", "no-store"));
        String campaign = campaign();

        ReadyJob first = send("/no-store.jpg", campaign);
        ReadyJob second = send("/no-store.jpg", campaign);

        assertThat(stack.origin.requestCount("/no-store.jpg")).isEqualTo(2);
        assertThat(stack.uploadsOf(UploadStack.sha256(image))).as("one upload per job, even within a campaign")
                .hasSize(2);
        assertThat(mediaId(second)).isNotEqualTo(mediaId(first));
    }

    @Test
    void aChangedLastModifiedWithNewBytesIsUploadedAgain() {
        byte[] before = UploadStack.uniqueJpeg("changing-1");
        byte[] after = UploadStack.uniqueJpeg("changing-2");
        String changed = "Thu, 22 Oct 2015 09:00:00 GMT";
        stack.origin.register("/changing.jpg", Route.bytes(before, "image/jpeg")
                .withHeader("Cache-Control", "no-cache").withHeader("Last-Modified", LAST_MODIFIED));
        ReadyJob first = send("/changing.jpg", campaign());

        stack.origin.register("/changing.jpg", Route.bytes(after, "image/jpeg")
                .withHeader("Cache-Control", "no-cache").withHeader("Last-Modified", changed));
        ReadyJob second = send("/changing.jpg", campaign());

        assertThat(stack.origin.lastRequestHeaders("/changing.jpg")).containsEntry("if-modified-since", LAST_MODIFIED);
        assertThat(mediaId(second)).isNotEqualTo(mediaId(first));
        assertThat(second.media().get(0).sha256()).isEqualTo(UploadStack.sha256(after));
        assertThat(stack.uploadsOf(UploadStack.sha256(before))).hasSize(1);
        assertThat(stack.uploadsOf(UploadStack.sha256(after))).hasSize(1);

        ReadyJob third = send("/changing.jpg", campaign());
        assertThat(stack.origin.lastRequestHeaders("/changing.jpg")).containsEntry("if-modified-since", changed);
        assertThat(mediaId(third)).as("the new version is revalidated and reused").isEqualTo(mediaId(second));
    }

    @Test
    void aLinkWithoutCachingHeadersIsReusedWithinItsCampaignOnly() {
        byte[] image = UploadStack.uniqueJpeg("silent");
        stack.origin.register("/silent.jpg", Route.bytes(image, "image/jpeg"));
        String campaign = campaign();

        ReadyJob first = send("/silent.jpg", campaign);
        ReadyJob sameCampaign = send("/silent.jpg", campaign);
        assertThat(stack.origin.requestCount("/silent.jpg")).as("reused within the campaign").isEqualTo(1);
        assertThat(mediaId(sameCampaign)).isEqualTo(mediaId(first));

        ReadyJob otherCampaign = send("/silent.jpg", campaign());
        assertThat(stack.origin.requestCount("/silent.jpg")).as("fetched again for another campaign").isEqualTo(2);
        assertThat(mediaId(otherCampaign)).as("same bytes: reused by hash").isEqualTo(mediaId(first));
        assertThat(stack.uploadsOf(UploadStack.sha256(image))).hasSize(1);
    }

    /** Publishes a one-recipient image job and waits for its ready job. */
    private static ReadyJob send(String path, String campaign) {
        long number = NUMBERS.incrementAndGet();
        String jobId = campaign + "-" + number;
        stack.publish(TestJobs.single(jobId, campaign, META, number, TestJobs.image(stack.origin.url(path))));
        return stack.outputs().awaitReadyJob(campaign, jobId);
    }

    private static String campaign() {
        return "cache-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String mediaId(ReadyJob job) {
        return job.message().path("image").path("id").asText();
    }

    private static double cache(String result) {
        Counter counter = stack.meters.find("wabatch.upload.cache").tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }
}
