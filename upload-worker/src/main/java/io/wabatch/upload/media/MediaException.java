package io.wabatch.upload.media;

/**
 * A media link that cannot become a media id. Expected, so it carries no stack trace; the
 * {@code code} is a stable tag for results, DLQ headers and metrics.
 */
public final class MediaException extends RuntimeException {

    /** The link points at an address the guard refuses (private, loopback, link-local...). */
    public static final String BLOCKED = "media_blocked";
    /** The origin could not be reached or answered with an error. */
    public static final String UNAVAILABLE = "media_unavailable";
    /** The file is not acceptable for its message type (MIME, size, empty). */
    public static final String REJECTED = "media_rejected";
    /** The API refused the upload. */
    public static final String UPLOAD_FAILED = "media_upload_failed";

    private final String code;

    public MediaException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
