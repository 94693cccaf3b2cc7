package io.wabatch.common.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The final outcome of one message (one recipient of one job), as written to {@code wa.results}
 * and used as the {@code outcome} tag of metrics and the campaign funnel.
 */
public enum Outcome {
    /** The API answered with a message id. Not delivery: statuses arrive by webhook. */
    ACCEPTED,
    /** Will not be sent: invalid job, unusable media, permanent API error, retries exhausted. */
    FAILED,
    /** {@code not_after} passed before the message could be sent. */
    EXPIRED,
    /** The campaign was cancelled before this message was sent. */
    CANCELLED,
    /** A redelivered job that the ledger shows was already accepted; not sent again. */
    DUPLICATE_SUPPRESSED,
    /** The call was in flight when its answer was lost; it may or may not have been sent. */
    IN_DOUBT,
    /** Held for an operator (for example an in-doubt job under the default policy). */
    PARKED;

    /** The lower-case name used on the wire and in metric tags. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name. */
    @JsonCreator
    public static Outcome fromWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
