package io.wabatch.common.api;

import java.util.Objects;
import java.util.Optional;

/**
 * Why a call failed, as data: the API's error envelope (facts §4) or the absence of an answer.
 * Build it with {@link ApiErrorParser} (an HTTP answer), {@link ApiErrorParser#fromStatusError}
 * (a status webhook's {@code errors[]} entry) or {@link #transport} (no answer); decide what to do
 * with {@link ErrorClassifier}.
 *
 * @param httpStatus the HTTP status; 0 when there was no HTTP answer (transport failure, webhook)
 * @param code       {@code error.code}; null when the body has none (gateway errors, HTML, empty)
 * @param subcode    {@code error.error_subcode}; null when absent
 * @param title      the message without its {@code (#code) } prefix, or for a transport failure
 *                   its {@link TransportFailure#label()}; null when unknown
 * @param details    {@code error.error_data.details}, a body excerpt, or the exception's class and
 *                   message; never contains the credential; null when unknown
 * @param fbtraceId  Meta's {@code fbtrace_id} for support requests; null when absent
 * @param transport  true when no HTTP answer arrived (refused, reset, timeout)
 */
public record ApiError(int httpStatus, Integer code, Integer subcode, String title, String details,
                       String fbtraceId, boolean transport) {

    public ApiError {
        if (httpStatus < 0 || httpStatus > 999) {
            throw new IllegalArgumentException("httpStatus " + httpStatus + " must be 0 or an HTTP status");
        }
        if (transport && httpStatus != 0) {
            throw new IllegalArgumentException("a transport error has no HTTP status, got " + httpStatus);
        }
    }

    /** A call that got no HTTP answer. */
    public static ApiError transport(TransportFailure failure, String details) {
        Objects.requireNonNull(failure, "failure");
        return new ApiError(0, null, null, failure.label(), details, null, true);
    }

    /** For a transport error, why there was no answer; empty for an API answer. */
    public Optional<TransportFailure> transportFailure() {
        return transport ? Optional.of(TransportFailure.fromLabel(title)) : Optional.empty();
    }

    /**
     * One line for logs and operators, e.g. {@code HTTP 400 (#131056) pair rate limit hit: details}
     * or {@code no answer (connection refused): ConnectException: ...}.
     */
    public String describe() {
        StringBuilder b = new StringBuilder();
        if (transport) {
            b.append("no answer (").append(title).append(')');
        } else {
            b.append(httpStatus > 0 ? "HTTP " + httpStatus : "status webhook");
            if (code != null) {
                b.append(" (#").append(code).append(subcode != null ? "/" + subcode : "").append(')');
            }
            if (title != null) {
                b.append(' ').append(title);
            }
        }
        if (details != null && !details.equals(title)) {
            b.append(": ").append(details);
        }
        return b.toString();
    }
}
