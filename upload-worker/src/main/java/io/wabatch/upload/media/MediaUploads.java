package io.wabatch.upload.media;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.wabatch.common.api.ApiResult;
import io.wabatch.common.api.MediaUploaded;
import io.wabatch.common.api.WhatsAppClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns link media into media ids: download to the spool, upload to the channel's {@code /media},
 * delete the spool file. Results are cached per (channel, campaign, link), so every recipient of
 * a campaign reuses one upload; concurrent requests for the same key share one download and one
 * upload (the cached value is the future itself). Failed attempts are not cached.
 *
 * <p>Reuse within a campaign is the rule for links without caching headers (DESIGN §4.3); the
 * header-aware, shared cache of the compacted {@code wa.media-cache} topic replaces this one.
 * Confined to the worker's event loop: call only from its context.
 */
public final class MediaUploads {

    private static final Logger LOG = LoggerFactory.getLogger(MediaUploads.class);

    private final Vertx vertx;
    private final MediaFetcher fetcher;
    private final Function<String, WhatsAppClient> clients;
    private final Map<String, Future<UploadedMedia>> cache;
    private final AtomicLong uploads = new AtomicLong();

    public MediaUploads(Vertx vertx, MediaFetcher fetcher, Function<String, WhatsAppClient> clients, int maxEntries) {
        this.vertx = vertx;
        this.fetcher = fetcher;
        this.clients = clients;
        this.cache = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Future<UploadedMedia>> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** The media id for {@code media} on {@code channel}, uploading it at most once per campaign. */
    public Future<UploadedMedia> resolve(String channel, String campaignId, LinkMedia media) {
        String key = channel + '\n' + campaignId + '\n' + media.link();
        Future<UploadedMedia> cached = cache.get(key);
        if (cached != null && !cached.failed()) {
            return cached;
        }
        Future<UploadedMedia> upload = fetcher.fetch(media).compose(spooled -> upload(channel, spooled));
        cache.put(key, upload);
        upload.onFailure(e -> cache.remove(key, upload));
        return upload;
    }

    /** Uploads performed since start. */
    public long uploads() {
        return uploads.get();
    }

    private Future<UploadedMedia> upload(String channel, SpooledMedia spooled) {
        return clients.apply(channel).upload(spooled.file(), spooled.mimeType(), spooled.filename())
                .eventually(() -> vertx.fileSystem().delete(spooled.file().toString())
                        .recover(e -> Future.succeededFuture()))
                .compose(result -> uploaded(channel, spooled, result));
    }

    private Future<UploadedMedia> uploaded(String channel, SpooledMedia spooled, ApiResult<MediaUploaded> result) {
        if (!result.isOk()) {
            return Future.failedFuture(new MediaException(MediaException.UPLOAD_FAILED,
                    "upload to channel " + channel + " failed: " + result.error().describe()));
        }
        uploads.incrementAndGet();
        LOG.debug("uploaded {} bytes of {} to channel {}", spooled.size(), spooled.mimeType(), channel);
        return Future.succeededFuture(new UploadedMedia(result.value().mediaId(), spooled.mimeType(), spooled.sha256(),
                spooled.size(), spooled.filename()));
    }
}
