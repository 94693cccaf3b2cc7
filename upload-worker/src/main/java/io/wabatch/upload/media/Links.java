package io.wabatch.upload.media;

/**
 * Links as they may appear in logs, results and dead letters: without query string and fragment,
 * which often carry signatures or tokens (pre-signed CDN URLs).
 */
public final class Links {

    private Links() {
    }

    /** {@code https://cdn.example/a.jpg?sig=...} → {@code https://cdn.example/a.jpg?…}. */
    public static String redact(Object link) {
        String text = String.valueOf(link);
        int cut = indexOfAny(text);
        return cut < 0 ? text : text.substring(0, cut) + "?…";
    }

    private static int indexOfAny(String text) {
        int query = text.indexOf('?');
        int fragment = text.indexOf('#');
        if (query < 0) {
            return fragment;
        }
        return fragment < 0 ? query : Math.min(query, fragment);
    }
}
