package io.wabatch.upload.cache;

import java.time.Duration;
import java.util.Locale;

/**
 * What an origin's caching headers allow (whatsapp-api-facts §7, Meta's rules for link media):
 * {@code max-age=n} → reuse for n seconds; {@code no-cache} → reuse after revalidating;
 * {@code no-store} or {@code private} → never share; no headers at all → reuse within the
 * campaign only. {@code ETag} and {@code Last-Modified} are kept as validators.
 *
 * @param maxAge       freshness lifetime, or null when none was given
 * @param noCache      must revalidate before every reuse
 * @param shareable    false for no-store and private: never reused across jobs
 * @param etag         the ETag validator, or null
 * @param lastModified the Last-Modified validator, or null
 */
public record CacheDirective(Duration maxAge, boolean noCache, boolean shareable, String etag, String lastModified) {

    /** Parses the response headers that matter. */
    public static CacheDirective of(String cacheControl, String etag, String lastModified) {
        Duration maxAge = null;
        boolean noCache = false;
        boolean shareable = true;
        if (cacheControl != null) {
            for (String part : cacheControl.toLowerCase(Locale.ROOT).split(",")) {
                String directive = part.strip();
                if (directive.equals("no-store") || directive.equals("private")) {
                    shareable = false;
                } else if (directive.equals("no-cache")) {
                    noCache = true;
                } else if (directive.startsWith("max-age=")) {
                    maxAge = seconds(directive.substring(8));
                }
            }
        }
        return new CacheDirective(maxAge, noCache, shareable, etag, lastModified);
    }

    /** True when nothing in the headers speaks about caching: reuse only within the campaign. */
    public boolean silent() {
        return maxAge == null && !noCache && shareable && etag == null && lastModified == null;
    }

    /** True when a conditional request can confirm the copy is unchanged. */
    public boolean hasValidators() {
        return etag != null || lastModified != null;
    }

    private static Duration seconds(String value) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.replace("\"", "").strip())));
        } catch (NumberFormatException e) {
            return Duration.ZERO;
        }
    }
}
