package io.wabatch.upload.media;

import io.wabatch.upload.cache.CacheDirective;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.wabatch.common.api.ApiResult;
import io.wabatch.common.api.MediaUploaded;
import io.wabatch.common.api.WhatsAppClient;
import io.wabatch.common.contract.MediaRef;
import io.wabatch.common.pace.RatePacer;
import io.wabatch.upload.cache.CacheDecision;
import io.wabatch.upload.cache.LinkKeys;
import io.wabatch.upload.cache.MediaCache;
import io.wabatch.upload.cache.MediaCacheEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns a link media into a media id, uploading as rarely as the rules allow (DESIGN §4.3): a
 * fresh cache entry is reused; a stale one with validators is revalidated (304 → reuse); a
 * download whose bytes match an id already uploaded on the channel reuses that id; otherwise the
 * spooled file is uploaded at the channel's upload pace. Concurrent requests for the same link on
 * the same channel share one download and one upload (single flight), unless the origin forbids
 * sharing or limits it to another campaign; downloads of different links whose bytes match an
 * upload under way wait for it instead of uploading again. Confined to the worker's event loop.
 */
public final class MediaResolver {

    private final Vertx vertx;
    private final MediaFetcher fetcher;
    private final MediaCache cache;
    private final RatePacer uploadPacer;
    private final Function<String, WhatsAppClient> clients;
    private final UploadMetrics metrics;
    private final Clock clock;
    private final Duration idLifetime;
    private final Map<String, Future<UploadedMedia>> inFlight = new HashMap<>();
    private final Map<String, Future<String>> uploadsByHash = new HashMap<>();

    public MediaResolver(Vertx vertx, MediaFetcher fetcher, MediaCache cache, RatePacer uploadPacer,
                         Function<String, WhatsAppClient> clients, UploadMetrics metrics, Clock clock,
                         Duration idLifetime) {
        this.vertx = vertx;
        this.fetcher = fetcher;
        this.cache = cache;
        this.uploadPacer = uploadPacer;
        this.clients = clients;
        this.metrics = metrics;
        this.clock = clock;
        this.idLifetime = idLifetime;
    }

    /** The media id for {@code media} on {@code channel} for a job of {@code campaignId}. */
    public Future<UploadedMedia> resolve(String channel, String campaignId, LinkMedia media) {
        String key = LinkKeys.key(channel, media.link());
        Future<UploadedMedia> shared = inFlight.get(key);
        if (shared != null) {
            metrics.singleFlightJoin();
            return shared.compose(m -> m.reusableBy(campaignId) ? Future.succeededFuture(m)
                    : lookup(channel, campaignId, media));
        }
        Future<UploadedMedia> mine = lookup(channel, campaignId, media);
        if (!mine.isComplete()) {
            inFlight.put(key, mine);
            mine.onComplete(ar -> inFlight.remove(key, mine));
        }
        return mine;
    }

    /**
     * Forgets a media id the API reported unknown or expired, so the next resolve of {@code ref}'s
     * link uploads again, unless an earlier report of the same id has already replaced it (see
     * {@link MediaCache#evictId}). Without a media id on the ref, the link's entry is forgotten.
     */
    public void evictExpired(String channel, MediaRef ref) {
        if (ref.mediaId() == null) {
            cache.evict(channel, ref.link());
        } else {
            cache.evictId(channel, ref.link(), ref.mediaId(), ref.sha256());
        }
    }

    private Future<UploadedMedia> lookup(String channel, String campaignId, LinkMedia media) {
        CacheDecision decision = cache.decide(channel, media.link(), campaignId);
        if (decision instanceof CacheDecision.Fresh fresh) {
            metrics.cache("hit");
            return Future.succeededFuture(toUploaded(fresh.entry()));
        }
        MediaCacheEntry stale = decision instanceof CacheDecision.Revalidate r ? r.entry() : null;
        long started = System.nanoTime();
        return fetcher.fetch(media, stale == null ? null : stale.directive()).compose(result -> {
            metrics.download(media.type(), System.nanoTime() - started);
            if (result instanceof FetchResult.NotModified notModified) {
                metrics.cache("revalidated");
                MediaCacheEntry refreshed = stale.revalidated(notModified.directive(), clock.instant());
                cache.put(refreshed);
                return Future.succeededFuture(toUploaded(refreshed));
            }
            FetchResult.Downloaded downloaded = (FetchResult.Downloaded) result;
            return fromDownload(channel, campaignId, media, downloaded.media(), downloaded.directive());
        });
    }

    private Future<UploadedMedia> fromDownload(String channel, String campaignId, LinkMedia media, SpooledMedia spooled,
                                               CacheDirective directive) {
        var sameBytes = cache.byHash(channel, spooled.sha256());
        if (sameBytes.isPresent()) {
            metrics.cache("hash_hit");
            MediaCacheEntry reused = sameBytes.get();
            spooled.discard(vertx);
            MediaCacheEntry entry = entry(channel, campaignId, media, reused.mediaId(), reused.uploadedAt(),
                    reused.expiresAt(), spooled, directive);
            remember(entry, directive);
            return Future.succeededFuture(new UploadedMedia(reused.mediaId(), spooled.mimeType(), spooled.sha256(),
                    spooled.size(), spooled.filename(), directive.shareable(), directive.silent() ? campaignId : null));
        }
        String hashKey = channel + "/" + spooled.sha256();
        Future<String> sameBytesUploading = uploadsByHash.get(hashKey);
        Future<String> upload;
        if (sameBytesUploading != null) {
            metrics.cache("hash_hit");
            spooled.discard(vertx);
            upload = sameBytesUploading;
        } else {
            metrics.cache("miss");
            upload = upload(channel, media, spooled);
            uploadsByHash.put(hashKey, upload);
            upload.onComplete(ar -> uploadsByHash.remove(hashKey, upload));
        }
        Instant now = clock.instant();
        return upload.map(mediaId -> {
            remember(entry(channel, campaignId, media, mediaId, now, now.plus(idLifetime), spooled, directive), directive);
            return new UploadedMedia(mediaId, spooled.mimeType(), spooled.sha256(), spooled.size(), spooled.filename(),
                    directive.shareable(), directive.silent() ? campaignId : null);
        });
    }

    private Future<String> upload(String channel, LinkMedia media, SpooledMedia spooled) {
        long started = System.nanoTime();
        return uploadPacer.acquire(channel)
                .compose(v -> clients.apply(channel).upload(spooled.file(), spooled.mimeType(), spooled.filename()))
                .eventually(() -> spooled.discard(vertx))
                .compose(result -> uploaded(channel, media, spooled, result, System.nanoTime() - started));
    }

    private Future<String> uploaded(String channel, LinkMedia media, SpooledMedia spooled,
                                    ApiResult<MediaUploaded> result, long nanos) {
        metrics.upload(channel, media.type(), result.isOk(), spooled.size(), nanos);
        if (!result.isOk()) {
            return Future.failedFuture(new MediaException(MediaException.UPLOAD_FAILED,
                    "upload to channel " + channel + " failed: " + result.error().describe()));
        }
        return Future.succeededFuture(result.value().mediaId());
    }

    private void remember(MediaCacheEntry entry, CacheDirective directive) {
        if (directive.shareable()) {
            cache.put(entry);
        }
    }

    private MediaCacheEntry entry(String channel, String campaignId, LinkMedia media, String mediaId, Instant uploadedAt,
                                  Instant expiresAt, SpooledMedia spooled, CacheDirective directive) {
        Instant now = clock.instant();
        return new MediaCacheEntry(channel, media.link(), mediaId, uploadedAt, expiresAt, spooled.sha256(),
                spooled.size(), spooled.mimeType(), spooled.filename(), directive.etag(), directive.lastModified(),
                directive.maxAge() == null ? null : now.plus(directive.maxAge()), directive.noCache(),
                directive.silent() ? campaignId : null);
    }

    private static UploadedMedia toUploaded(MediaCacheEntry entry) {
        return new UploadedMedia(entry.mediaId(), entry.mimeType(), entry.sha256(), entry.size(), entry.filename(), true,
                entry.campaignId());
    }
}
