package io.wabatch.sender.funnel;

import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.StatusEvent;
import java.time.Instant;

/**
 * What the funnel knows about one job (one recipient) of a campaign: its latest generation's
 * result and the furthest delivery status its webhooks reported. Applying an event twice, or
 * statuses in any order, gives the same state, which is how replayed and out-of-order webhooks
 * count once. A later generation (a re-upload or a redrive) replaces an earlier one's state.
 *
 * @param delivery    0 none, 1 sent, 2 delivered, 3 read
 * @param failedCode  the code of a {@code failed} status (0 when it had none), or null
 * @param suppressed  a redelivery of the job was suppressed by the ledger
 */
record JobState(String campaignId, String jobId, String channel, int generation, Outcome outcome, String outcomeCode,
                boolean suppressed, boolean uploaded, int delivery, Integer failedCode, String pricing,
                Instant acceptedAt) {

    static JobState empty(String campaignId, String jobId) {
        return new JobState(campaignId, jobId, null, 0, null, null, false, false, 0, null, null, null);
    }

    /** This state after a result. */
    JobState with(JobResult result) {
        JobState base = generationOf(result.generation());
        if (base == null) {
            return this;
        }
        String channel = result.channel() != null ? result.channel() : base.channel;
        if (result.outcome() == Outcome.DUPLICATE_SUPPRESSED) {
            return new JobState(campaignId, jobId, channel, base.generation, base.outcome, base.outcomeCode, true,
                    base.uploaded, base.delivery, base.failedCode, base.pricing, base.acceptedAt);
        }
        Instant accepted = result.outcome() == Outcome.ACCEPTED
                ? (result.sentAt() != null ? result.sentAt() : result.producedAt()) : base.acceptedAt;
        return new JobState(campaignId, jobId, channel, base.generation, result.outcome(),
                result.error() == null ? null : result.error().code(), base.suppressed,
                base.uploaded || result.uploadedAt() != null, base.delivery, base.failedCode, base.pricing, accepted);
    }

    /** This state after a status webhook. */
    JobState with(StatusEvent status) {
        JobState base = generationOf(status.generation() == null ? generation : status.generation());
        if (base == null) {
            return this;
        }
        int delivery = base.delivery;
        Integer failed = base.failedCode;
        switch (status.status()) {
            case StatusEvent.SENT -> delivery = Math.max(delivery, 1);
            case StatusEvent.DELIVERED -> delivery = Math.max(delivery, 2);
            case StatusEvent.READ -> delivery = Math.max(delivery, 3);
            case StatusEvent.FAILED -> failed = status.errorCode() == null ? 0 : status.errorCode();
            default -> {
                return this;
            }
        }
        String pricing = status.pricing() != null && status.pricing().category() != null
                ? status.pricing().category() : base.pricing;
        return new JobState(campaignId, jobId, base.channel, base.generation, base.outcome, base.outcomeCode,
                base.suppressed, base.uploaded, delivery, failed, pricing, base.acceptedAt);
    }

    /** The state to update for an event of {@code gen}: this one, a fresh one for a newer generation, null for an older. */
    private JobState generationOf(int gen) {
        if (gen < generation) {
            return null;
        }
        if (gen > generation) {
            return new JobState(campaignId, jobId, channel, gen, null, null, suppressed, uploaded, 0, null, null, null);
        }
        return this;
    }

    /** A status proves the API took the message: an in-doubt or parked job (or one without result yet) was sent. */
    Outcome effectiveOutcome() {
        boolean seenByApi = delivery > 0 || failedCode != null;
        if (seenByApi && (outcome == null || outcome == Outcome.PARKED || outcome == Outcome.IN_DOUBT)) {
            return Outcome.ACCEPTED;
        }
        return outcome;
    }

    boolean failed() {
        return failedCode != null || outcome == Outcome.FAILED;
    }

    /** The code it failed with: the status's, else the result's; null when it did not fail. */
    String failureCode() {
        if (failedCode != null) {
            return failedCode == 0 ? "unknown" : failedCode.toString();
        }
        return outcome == Outcome.FAILED ? (outcomeCode == null ? "unknown" : outcomeCode) : null;
    }
}
