package io.wabatch.sandbox.api;

import java.time.Duration;

/**
 * For {@code duration}, every {@code POST /messages} request of {@code number} (or of every number)
 * is answered with error {@code code} at HTTP {@code httpStatus} before it is validated or recorded,
 * e.g. a burst of 130429 to test a sender's backoff.
 *
 * @param number     the phone-number ID it hits, or {@code null} for every number
 * @param duration   how long it lasts from when it starts (config: server start)
 * @param code       the Graph error code answered (e.g. 130429, 131000, 80007)
 * @param httpStatus the HTTP status answered (400..599)
 */
public record Storm(String number, Duration duration, int code, int httpStatus) {

    /** Validates. */
    public Storm {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("storm.duration must be positive, got " + duration);
        }
        if (code < 1) {
            throw new IllegalArgumentException("storm.code must be a positive error code, got " + code);
        }
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("storm.http_status must be 400..599, got " + httpStatus);
        }
    }

    /** A storm of 130429 answers (HTTP {@code httpStatus}) on one number, or all when {@code number} is null. */
    public static Storm rateLimit(String number, Duration duration, int httpStatus) {
        return new Storm(number, duration, 130429, httpStatus);
    }
}
