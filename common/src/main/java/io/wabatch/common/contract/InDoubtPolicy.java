package io.wabatch.common.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/**
 * What the sender does with a message that is in doubt: its call may have reached the API, but
 * the answer was lost (timeout, reset, 5xx) or the call was in flight when its sender stopped. A
 * campaign job chooses with {@code in_doubt}; without it the sender's {@code send.in.doubt} applies.
 */
public enum InDoubtPolicy {
    /** A {@code parked} result and a dead letter with code {@code in_doubt} for an operator: never a duplicate. */
    PARK,
    /**
     * Sent again like after any transient error: the recipient may get the message twice, and the
     * second copy carries the same correlation token (same generation).
     */
    RESEND;

    /** The lower-case name used on the wire ({@code park}, {@code resend}). */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The policy with exactly this wire name (case matters), if there is one. */
    public static Optional<InDoubtPolicy> ofWireName(String name) {
        for (InDoubtPolicy policy : values()) {
            if (policy.wireName().equals(name)) {
                return Optional.of(policy);
            }
        }
        return Optional.empty();
    }

    /**
     * Parses a wire name.
     *
     * @throws IllegalArgumentException for anything but {@code park} and {@code resend}
     */
    @JsonCreator
    public static InDoubtPolicy fromWire(String name) {
        return ofWireName(name).orElseThrow(() -> new IllegalArgumentException(
                "in_doubt must be \"park\" or \"resend\", got \"" + name + "\""));
    }
}
