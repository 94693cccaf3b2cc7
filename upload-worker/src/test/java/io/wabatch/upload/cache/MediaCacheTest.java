package io.wabatch.upload.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class MediaCacheTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private final List<ProducerRecord<byte[], byte[]>> written = new ArrayList<>();
    private final MutableClock clock = new MutableClock();
    private final MediaCache cache = new MediaCache("cache", 3, clock, written::add);

    @Test
    void maxAgeIsFreshUntilItPassesThenRevalidates() {
        cache.put(entry("https://cdn.example/a.jpg", "M1", "h1", T0.plusSeconds(60), false, null, "\"e1\""));
        assertThat(cache.decide("ch", "https://CDN.example:443/a.jpg", "any")).isInstanceOf(CacheDecision.Fresh.class);
        clock.now = T0.plusSeconds(61);
        assertThat(cache.decide("ch", "https://cdn.example/a.jpg", "any")).isInstanceOf(CacheDecision.Revalidate.class);
        assertThat(cache.decide("other", "https://cdn.example/a.jpg", "any")).isInstanceOf(CacheDecision.Miss.class);
    }

    @Test
    void noCacheAlwaysRevalidatesAndSilentLinksStayInTheirCampaign() {
        cache.put(entry("https://cdn.example/n.jpg", "M2", "h2", null, true, null, "\"e\""));
        cache.put(entry("https://cdn.example/s.jpg", "M3", "h3", null, false, "spring", null));
        assertThat(cache.decide("ch", "https://cdn.example/n.jpg", "x")).isInstanceOf(CacheDecision.Revalidate.class);
        assertThat(cache.decide("ch", "https://cdn.example/s.jpg", "spring")).isInstanceOf(CacheDecision.Fresh.class);
        assertThat(cache.decide("ch", "https://cdn.example/s.jpg", "autumn")).isInstanceOf(CacheDecision.Miss.class);
    }

    @Test
    void expiredIdsAreTombstonedAndNeverReturned() {
        cache.put(entry("https://cdn.example/a.jpg", "M1", "h1", T0.plus(Duration.ofDays(40)), false, null, null));
        clock.now = T0.plus(Duration.ofDays(28));
        assertThat(cache.byHash("ch", "h1")).isEmpty();
        assertThat(cache.decide("ch", "https://cdn.example/a.jpg", "c")).isInstanceOf(CacheDecision.Miss.class);
        assertThat(written.get(written.size() - 1).value()).as("tombstone").isNull();
    }

    @Test
    void sameBytesShareAnIdAndTheLruBoundEvictsWithTombstones() {
        cache.put(entry("https://a.example/1.jpg", "M1", "same", null, false, "c", null));
        assertThat(cache.byHash("ch", "same")).get().extracting(MediaCacheEntry::mediaId).isEqualTo("M1");
        for (int i = 2; i <= 4; i++) {
            cache.put(entry("https://a.example/" + i + ".jpg", "M" + i, "h" + i, null, false, "c", null));
        }
        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.byHash("ch", "same")).isEmpty();
        assertThat(written.stream().filter(r -> r.value() == null)).hasSize(1);
    }

    @Test
    void aDeadIdIsForgottenButTheUploadThatReplacedItIsKept() {
        String link = "https://cdn.example/a.jpg";
        cache.put(entry(link, "M1", "h1", null, false, "c", null));
        cache.evictId("ch", link, "M1", "h1");
        assertThat(cache.decide("ch", link, "c")).isInstanceOf(CacheDecision.Miss.class);
        assertThat(cache.byHash("ch", "h1")).isEmpty();
        assertThat(written.get(written.size() - 1).value()).as("tombstone").isNull();

        cache.put(entry(link, "M2", "h1", null, false, "c", null));
        int writes = written.size();
        cache.evictId("ch", link, "M1", "h1");
        assertThat(cache.decide("ch", link, "c")).as("a later report of M1 reuses M2")
                .isInstanceOfSatisfying(CacheDecision.Fresh.class, f -> assertThat(f.entry().mediaId()).isEqualTo("M2"));
        assertThat(written).hasSize(writes);
    }

    @Test
    void aDeadIdIsNotReusedThroughAnotherLinkWithTheSameBytes() {
        cache.put(entry("https://a.example/1.jpg", "M1", "same", null, false, "c", null));
        cache.put(entry("https://b.example/copy.jpg", "M1", "same", null, false, "c", null));
        cache.evictId("ch", "https://a.example/1.jpg", "M1", null);
        assertThat(cache.decide("ch", "https://a.example/1.jpg", "c")).isInstanceOf(CacheDecision.Miss.class);
        assertThat(cache.byHash("ch", "same")).as("the download of the link must upload, not reuse M1").isEmpty();
    }

    @Test
    void restoreReplaysEntriesAndTombstones() {
        MediaCache other = new MediaCache("cache", 10, clock, r -> { });
        cache.put(entry("https://a.example/1.jpg", "M1", "h1", null, false, "c", null));
        cache.evict("ch", "https://a.example/1.jpg");
        cache.put(entry("https://a.example/2.jpg", "M2", "h2", null, false, "c", null));
        written.forEach(r -> other.restore(r.key(), r.value()));
        assertThat(other.size()).isEqualTo(1);
        assertThat(other.decide("ch", "https://a.example/2.jpg", "c")).isInstanceOf(CacheDecision.Fresh.class);
    }

    private MediaCacheEntry entry(String link, String id, String sha, Instant freshUntil, boolean noCache,
                                  String campaign, String etag) {
        return new MediaCacheEntry("ch", link, id, T0, T0.plus(Duration.ofDays(27)), sha, 10, "image/jpeg", "a.jpg",
                etag, null, freshUntil, noCache, campaign);
    }

    private static final class MutableClock extends Clock {
        Instant now = T0;

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
