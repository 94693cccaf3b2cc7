package io.wabatch.upload.cache;

import java.net.URI;
import java.util.Locale;

/**
 * The cache key of a link: {@code <channel>/<normalised URL>}, where normalising lower-cases the
 * scheme and host, drops the default port and the fragment, and keeps path and query as they are
 * (they may be case-sensitive and signed).
 */
public final class LinkKeys {

    private LinkKeys() {
    }

    public static String key(String channel, String link) {
        return channel + "/" + normalise(link);
    }

    static String normalise(String link) {
        try {
            URI uri = URI.create(link.strip());
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port)
                    + (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        } catch (RuntimeException e) {
            return link.strip();
        }
    }
}
