package io.wabatch.sandbox.api.rules;

/**
 * Thrown by the rules when a request breaks one; carries the {@link ApiError} to answer with.
 * Expected control flow, so it skips the stack trace.
 */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ApiError error;

    /** Wraps {@code error}; its message becomes this exception's message. */
    public ApiException(ApiError error) {
        super(error.message() + ": " + error.details(), null, false, false);
        this.error = error;
    }

    /** The error to answer with. */
    public ApiError error() {
        return error;
    }
}
