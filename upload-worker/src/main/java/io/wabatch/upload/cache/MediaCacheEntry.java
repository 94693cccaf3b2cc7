package io.wabatch.upload.cache;

import io.wabatch.upload.cache.CacheDirective;
import java.time.Instant;

/**
 * One cached media id ({@code wa.media-cache}, key {@code <channel>/<normalised link>}).
 *
 * @param channel      the channel the id belongs to (ids are per phone number)
 * @param link         the source URL as first seen
 * @param mediaId      the uploaded media id
 * @param uploadedAt   when it was uploaded
 * @param expiresAt    when it must no longer be used: upload + id lifetime − safety margin
 * @param sha256       hex SHA-256 of the uploaded bytes
 * @param size         bytes
 * @param mimeType     uploaded MIME type
 * @param filename     file name derived from the link
 * @param etag         the origin's ETag, for revalidation
 * @param lastModified the origin's Last-Modified, for revalidation
 * @param freshUntil   end of the origin's max-age, or null
 * @param noCache      the origin said no-cache: revalidate before each reuse
 * @param campaignId   set when the origin sent no caching headers: reuse only within this campaign
 */
public record MediaCacheEntry(String channel, String link, String mediaId, Instant uploadedAt, Instant expiresAt,
                              String sha256, long size, String mimeType, String filename, String etag,
                              String lastModified, Instant freshUntil, boolean noCache, String campaignId) {

    /** The validators and rules to revalidate with. */
    public CacheDirective directive() {
        return new CacheDirective(null, noCache, true, etag, lastModified);
    }

    /** This entry after a 304, with the answer's headers. */
    public MediaCacheEntry revalidated(CacheDirective answer, Instant now) {
        Instant fresh = answer.maxAge() == null ? freshUntil : now.plus(answer.maxAge());
        return new MediaCacheEntry(channel, link, mediaId, uploadedAt, expiresAt, sha256, size, mimeType, filename,
                answer.etag() != null ? answer.etag() : etag,
                answer.lastModified() != null ? answer.lastModified() : lastModified, fresh, noCache, campaignId);
    }
}
