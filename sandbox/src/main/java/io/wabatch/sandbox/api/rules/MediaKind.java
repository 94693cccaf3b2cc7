package io.wabatch.sandbox.api.rules;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The five WhatsApp media kinds with their MIME types and size limits
 * ({@code whatsapp-api-facts.md} §3). Every supported MIME belongs to exactly one kind, so an
 * uploaded file's MIME decides which message types may use its media ID.
 */
public enum MediaKind {
    AUDIO("audio", 16L << 20, false,
            "audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"),
    DOCUMENT("document", 100L << 20, true,
            "text/plain", "application/pdf", "application/msword",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.ms-excel",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.ms-powerpoint",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    IMAGE("image", 5L << 20, true, "image/jpeg", "image/png"),
    STICKER("sticker", 500L << 10, false, "image/webp"),
    VIDEO("video", 16L << 20, true, "video/mp4", "video/3gpp", "video/3gp");

    private final String messageType;
    private final long maxBytes;
    private final boolean captioned;
    private final List<String> mimeTypes;

    MediaKind(String messageType, long maxBytes, boolean captioned, String... mimeTypes) {
        this.messageType = messageType;
        this.maxBytes = maxBytes;
        this.captioned = captioned;
        this.mimeTypes = List.of(mimeTypes);
    }

    /** The message type ({@code "image"}, ...) that sends media of this kind. */
    public String messageType() {
        return messageType;
    }

    /** The largest accepted file, in bytes (MB = 1024 × 1024). */
    public long maxBytes() {
        return maxBytes;
    }

    /** Whether messages of this kind may carry a {@code caption}. */
    public boolean captioned() {
        return captioned;
    }

    /** The MIME types of this kind. */
    public List<String> mimeTypes() {
        return mimeTypes;
    }

    /** The kind whose message type is {@code type}, if it is a media type. */
    public static Optional<MediaKind> forMessageType(String type) {
        return Arrays.stream(values()).filter(k -> k.messageType.equals(type)).findFirst();
    }

    /** The kind a (normalised) MIME type belongs to, if supported. */
    public static Optional<MediaKind> forMime(String mime) {
        return Arrays.stream(values()).filter(k -> k.mimeTypes.contains(mime)).findFirst();
    }

    /** Lower-cases a MIME type and drops parameters: {@code "Audio/OGG; codecs=opus"} → {@code audio/ogg}. */
    public static String normalizeMime(String mime) {
        if (mime == null) {
            return "";
        }
        int semicolon = mime.indexOf(';');
        String bare = semicolon < 0 ? mime : mime.substring(0, semicolon);
        return bare.trim().toLowerCase(Locale.ROOT);
    }

    /** Every supported MIME type, comma separated, as the upload error message lists them. */
    public static String supportedList() {
        return Arrays.stream(values()).flatMap(k -> k.mimeTypes.stream()).collect(Collectors.joining(", "));
    }

    /** The limit as people read it, e.g. {@code 500 KB} or {@code 16 MB}. */
    public String readableLimit() {
        return maxBytes >= 1L << 20 ? (maxBytes >> 20) + " MB" : (maxBytes >> 10) + " KB";
    }
}
