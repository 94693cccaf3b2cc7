package io.wabatch.upload.media;

import io.wabatch.upload.cache.CacheDirective;

/** The answer to a (possibly conditional) media download. */
public sealed interface FetchResult {

    /** The caching headers of the answer. */
    CacheDirective directive();

    /** 304: the cached copy is still current. */
    record NotModified(CacheDirective directive) implements FetchResult {
    }

    /** 200: the body is in the spool. */
    record Downloaded(SpooledMedia media, CacheDirective directive) implements FetchResult {
    }
}
