package io.wabatch.upload.cache;

/** What the cache says about a link: reuse, revalidate first, or fetch anew. */
public sealed interface CacheDecision {

    /** Reuse the entry as it is. */
    record Fresh(MediaCacheEntry entry) implements CacheDecision {
    }

    /** Ask the origin with the entry's validators; reuse on 304. */
    record Revalidate(MediaCacheEntry entry) implements CacheDecision {
    }

    /** Nothing usable: download (a download with the same bytes may still reuse an id by hash). */
    record Miss() implements CacheDecision {
    }
}
