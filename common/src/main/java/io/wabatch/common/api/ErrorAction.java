package io.wabatch.common.api;

import java.util.Objects;

/**
 * What to do about one failed call, decided by {@link ErrorClassifier}.
 *
 * @param kind            the action
 * @param mayHaveBeenSent true when the API may already have processed the message although the
 *                        call failed (timeout, reset, 5xx): a blind resend may duplicate it, so the
 *                        sender treats the attempt as in doubt; false when the API certainly did not
 *                        send it (an explicit rejection, a rate limit, a connection never made)
 * @param reason          a short explanation for logs and results
 */
public record ErrorAction(Kind kind, boolean mayHaveBeenSent, String reason) {

    public ErrorAction {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }

    /** The actions of facts §4, from cheapest to most drastic. */
    public enum Kind {
        /** Transient and local; resend without a backoff delay. */
        RETRY_NOW,
        /** Transient; resend after an exponential backoff with jitter. */
        RETRY_LATER,
        /** The number's throughput limit (130429): resend later and lower the channel's pace. */
        LOWER_PACE,
        /** The pair rate limit (131056): resend to that recipient after 4^n s; others are unaffected. */
        RECIPIENT_BACKOFF,
        /** An app- or WABA-wide call-rate limit (4, 80007): resend later; pause every channel of the WABA. */
        PAUSE_WABA,
        /** The channel cannot send (credential, account, payment, policy, spam): pause it and alert. */
        PAUSE_CHANNEL,
        /** The campaign's template is missing, paused or disabled: pause the campaign and alert. */
        PAUSE_CAMPAIGN,
        /** The recipient's marketing limit (131049): resend no earlier than 24 h later. */
        RETRY_AFTER_24H,
        /** The media id is unknown or expired, or the media fetch failed (131053): upload again, then resend. */
        REUPLOAD_MEDIA,
        /** Resending the same message cannot succeed: fail the job. */
        PERMANENT;

        /** True when the job is given up for good. */
        public boolean isPermanent() {
            return this == PERMANENT;
        }
    }
}
