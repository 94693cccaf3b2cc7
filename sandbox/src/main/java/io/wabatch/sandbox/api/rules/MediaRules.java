package io.wabatch.sandbox.api.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Rules of a media object ({@code audio}, {@code document}, {@code image}, {@code sticker},
 * {@code video}), wherever it appears: a media message, a template parameter, an interactive header.
 */
final class MediaRules {

    static final String ID_XOR_LINK = "Either id or link is required, but should not be used at the same time.";
    private static final int MAX_CAPTION = 1024;

    private MediaRules() {
    }

    /**
     * Checks {@code media} (already known to be present) as an object of {@code kind} at {@code path};
     * a valid one sent by {@code link} is counted in {@code context}.
     */
    static void check(MediaKind kind, JsonNode media, String path, MediaContext context) {
        if (!media.isObject()) {
            throw new ApiException(ApiError.invalid("Parameter '" + path + "' must be a JSON object."));
        }
        boolean hasId = present(media, "id");
        boolean hasLink = present(media, "link");
        if (hasId && hasLink) {
            throw new ApiException(ApiError.invalid(path + ": " + ID_XOR_LINK));
        }
        if (!hasId && !hasLink) {
            throw new ApiException(ApiError.missing(path + ": " + ID_XOR_LINK));
        }
        if (hasLink) {
            checkLink(Fields.text(media.get("link"), path + ".link"), path);
        } else {
            checkId(kind, Fields.text(media.get("id"), path + ".id"), context);
        }
        checkCaption(kind, media, path);
        checkFilename(kind, media, path);
        if (hasLink) {
            context.linkSeen();
        }
    }

    private static boolean present(JsonNode media, String field) {
        JsonNode value = media.get(field);
        return value != null && !value.isNull();
    }

    private static void checkLink(String link, String path) {
        if (!isHttpUrl(link)) {
            throw new ApiException(ApiError.invalid("Parameter '" + path + ".link' must be an absolute"
                    + " http(s) URL of the file, got '" + link + "'."));
        }
    }

    static boolean isHttpUrl(String link) {
        try {
            URI uri = new URI(link);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static void checkId(MediaKind kind, String id, MediaContext context) {
        String mime = context.mimeOf(id).orElseThrow(
                () -> new ApiException(ApiError.media("Media ID " + id + " is unknown or has expired")));
        if (MediaKind.forMime(mime).orElse(null) != kind) {
            throw new ApiException(ApiError.media("Media ID " + id + " has MIME type " + mime + ", which cannot be"
                    + " sent as " + kind.messageType() + " (allowed: " + String.join(", ", kind.mimeTypes()) + ")"));
        }
    }

    private static void checkCaption(MediaKind kind, JsonNode media, String path) {
        String caption = Fields.optionalText(media, "caption", path);
        if (caption == null) {
            return;
        }
        if (!kind.captioned()) {
            throw new ApiException(ApiError.invalid("Parameter '" + path + ".caption' is not allowed: "
                    + kind.messageType() + " media take no caption."));
        }
        if (Fields.length(caption) > MAX_CAPTION) {
            throw new ApiException(ApiError.invalid("Parameter '" + path + ".caption' is "
                    + Fields.length(caption) + " characters long; the limit is " + MAX_CAPTION + "."));
        }
    }

    private static void checkFilename(MediaKind kind, JsonNode media, String path) {
        String filename = Fields.optionalText(media, "filename", path);
        if (filename != null && kind != MediaKind.DOCUMENT) {
            throw new ApiException(ApiError.invalid("Parameter '" + path + ".filename' is only allowed on"
                    + " documents."));
        }
    }
}
