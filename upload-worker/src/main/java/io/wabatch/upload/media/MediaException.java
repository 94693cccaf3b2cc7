package io.wabatch.upload.media;

import io.wabatch.common.metrics.ErrorCodes;

/**
 * A media link that cannot become a media id. Expected, so it carries no stack trace; the
 * {@code code} is a stable tag for results, DLQ headers and metrics. {@code retryable} failures
 * (origin 5xx, timeouts, broken connections) are tried again with backoff before they are final.
 */
public final class MediaException extends RuntimeException {

    /** The link points at an address the guard refuses (private, loopback, link-local...). */
    public static final String BLOCKED = ErrorCodes.MEDIA_BLOCKED;
    /** The origin could not be reached or answered with an error. */
    public static final String UNAVAILABLE = ErrorCodes.MEDIA_UNAVAILABLE;
    /** The file is not acceptable for its message type (MIME, size, empty). */
    public static final String REJECTED = ErrorCodes.MEDIA_REJECTED;
    /** The API refused the upload. */
    public static final String UPLOAD_FAILED = ErrorCodes.MEDIA_UPLOAD_FAILED;

    private final String code;
    private final boolean retryable;

    public MediaException(String code, String message) {
        this(code, message, false);
    }

    public MediaException(String code, String message, boolean retryable) {
        super(message, null, false, false);
        this.code = code;
        this.retryable = retryable;
    }

    public String code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }
}
