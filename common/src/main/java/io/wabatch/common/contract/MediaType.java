package io.wabatch.common.contract;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The five WhatsApp media types with the MIME types and size limits the API accepts
 * (whatsapp-api-facts §3). MB here means 1024 × 1024 bytes.
 */
public enum MediaType {
    AUDIO(16L << 20, false, Set.of("audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg")),
    DOCUMENT(100L << 20, true, Set.of("text/plain", "application/pdf", "application/msword",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.ms-excel",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.ms-powerpoint",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation")),
    IMAGE(5L << 20, true, Set.of("image/jpeg", "image/png")),
    /** 100 KB static, 500 KB animated; the larger limit is enforced before upload. */
    STICKER(500L << 10, false, Set.of("image/webp")),
    VIDEO(16L << 20, true, Set.of("video/mp4", "video/3gpp", "video/3gp"));

    private static final Map<String, MediaType> BY_NAME = Map.of(
            "audio", AUDIO, "document", DOCUMENT, "image", IMAGE, "sticker", STICKER, "video", VIDEO);

    private final long maxBytes;
    private final boolean captionAllowed;
    private final Set<String> mimeTypes;

    MediaType(long maxBytes, boolean captionAllowed, Set<String> mimeTypes) {
        this.maxBytes = maxBytes;
        this.captionAllowed = captionAllowed;
        this.mimeTypes = mimeTypes;
    }

    /**
     * The media type named {@code name} exactly ({@code image}, not {@code IMAGE}), if it is one.
     * Where the API reads a type name in any case, the caller lower-cases it (see {@link MediaObjects}).
     */
    public static Optional<MediaType> of(String name) {
        return Optional.ofNullable(name == null ? null : BY_NAME.get(name));
    }

    /** The JSON name, e.g. {@code image}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Largest file the API accepts for this type, in bytes. */
    public long maxBytes() {
        return maxBytes;
    }

    /** Whether the media object may carry a {@code caption}. */
    public boolean captionAllowed() {
        return captionAllowed;
    }

    /** MIME types the API accepts for this type. */
    public Set<String> mimeTypes() {
        return mimeTypes;
    }

    /** True when {@code mime} (parameters such as {@code ; codecs=opus} ignored) is allowed. */
    public boolean accepts(String mime) {
        if (mime == null) {
            return false;
        }
        String bare = mime.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return mimeTypes.contains(bare);
    }
}
