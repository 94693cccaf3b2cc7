package io.wabatch.sender.send;

import io.wabatch.common.api.ErrorAction;
import io.wabatch.common.contract.InDoubtPolicy;
import io.wabatch.common.contract.ReadyJob;
import java.util.EnumSet;
import java.util.Set;

/**
 * What an error answer makes of a job, decided from its classification, the job and the calls it
 * has had: the rules of {@link Step#CLASSIFY}, kept free of side effects.
 */
enum Verdict {
    /** The answer was lost, the job says resend, and calls are left: retried. */
    RESEND_IN_DOUBT,
    /** The answer was lost and it may have been sent: parked, not resent. */
    PARK_IN_DOUBT,
    /** The API refused the channel: it pauses, and the job waits for the resume. */
    PAUSE_CHANNEL,
    /** The WABA's call-rate limit: its channels pause, and the job waits for the resume. */
    PAUSE_WABA,
    /** A media id unknown or expired: back to the upload worker. */
    REUPLOAD,
    /** Rate-limited (however often), or a transient error with calls left: retried after a backoff. */
    RETRY,
    /** Anything else, or calls exhausted: failed. */
    FAIL;

    /** Retried until {@code send.max.attempts} calls were made. */
    private static final Set<ErrorAction.Kind> RETRYABLE = EnumSet.of(ErrorAction.Kind.RETRY_NOW,
            ErrorAction.Kind.RETRY_LATER);
    /**
     * Rate limits: the API refused the message before sending it, so it is retried (at a lower pace,
     * after the pair backoff) however often, until it is sent or its {@code not_after} passes.
     */
    private static final Set<ErrorAction.Kind> THROTTLED = EnumSet.of(ErrorAction.Kind.LOWER_PACE,
            ErrorAction.Kind.RECIPIENT_BACKOFF);

    /** True for rate limits, which do not count against {@code send.max.attempts}. */
    static boolean throttled(ErrorAction.Kind kind) {
        return THROTTLED.contains(kind);
    }

    /**
     * @param counted the calls, the one answered included, that count against {@code maxAttempts}
     */
    static Verdict of(ErrorAction action, ReadyJob job, int counted, SendHandler.Policy policy) {
        boolean callsLeft = counted < policy.maxAttempts();
        if (action.mayHaveBeenSent()) {
            return policy.inDoubt(job) == InDoubtPolicy.RESEND && callsLeft ? RESEND_IN_DOUBT : PARK_IN_DOUBT;
        }
        if (action.kind() == ErrorAction.Kind.PAUSE_CHANNEL) {
            return PAUSE_CHANNEL;
        }
        if (action.kind() == ErrorAction.Kind.PAUSE_WABA) {
            return PAUSE_WABA;
        }
        if (action.kind() == ErrorAction.Kind.REUPLOAD_MEDIA && job.generation() == 1 && !job.media().isEmpty()) {
            return REUPLOAD;
        }
        if (THROTTLED.contains(action.kind()) || (RETRYABLE.contains(action.kind()) && callsLeft)) {
            return RETRY;
        }
        return FAIL;
    }
}
