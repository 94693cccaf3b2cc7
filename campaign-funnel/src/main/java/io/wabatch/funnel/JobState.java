package io.wabatch.funnel;

import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.contract.StatusEvent;
import io.wabatch.funnel.cost.RateCard;
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
 * @param pricing     the pricing category of its message ({@link JobCharge#UNKNOWN_CATEGORY} when its pricing
 *                    named none), or null before a status carried pricing
 * @param charge      whether its message was charged, and the estimated price; null before a status carried
 *                    pricing (and in states stored before charges were counted)
 */
record JobState(String campaignId, String jobId, String channel, int generation, Outcome outcome, String outcomeCode,
                boolean suppressed, boolean uploaded, int delivery, Integer failedCode, String pricing,
                Instant acceptedAt, ReadyJob ready, Integer actedFor, JobCharge charge) {

    static JobState empty(String campaignId, String jobId) {
        return new JobState(campaignId, jobId, null, 0, null, null, false, false, 0, null, null, null, null, null,
                null);
    }

    /**
     * This state after its ready job was produced: kept (the body a status action resends) until the
     * job's fate is known. A ready job of a later generation starts that generation.
     */
    JobState with(ReadyJob job) {
        JobState base = generationOf(job.generation());
        if (base == null) {
            return this;
        }
        return new JobState(campaignId, jobId, job.channel(), base.generation, base.outcome, base.outcomeCode,
                base.suppressed, true, base.delivery, base.failedCode, base.pricing, base.acceptedAt,
                base.settled() ? null : job, base.actedFor, base.charge);
    }

    /** Codes of a failed status that send the job again (once): 131053 re-upload, 131049 a day later. */
    static final java.util.Set<Integer> ACTIONABLE = java.util.Set.of(131053, 131049);

    /** Delivered, read, or failed for good: no status action can follow, the body is dropped. */
    boolean settled() {
        return delivery >= 2 || (failedCode != null && !awaitingAction()) || (outcome != null
                && outcome != Outcome.ACCEPTED && outcome != Outcome.PARKED && outcome != Outcome.IN_DOUBT);
    }

    /** Failed with an actionable code, and no action taken for this job yet. */
    boolean awaitingAction() {
        return failedCode != null && ACTIONABLE.contains(failedCode) && actedFor == null
                && (failedCode != 131053 || ready == null || !ready.media().isEmpty());
    }

    /** The status action to take now: its code, when the job awaits one and its body of this generation is here. */
    Integer actionDue() {
        return awaitingAction() && ready != null && ready.generation() == generation ? failedCode : null;
    }

    /** This state without the ready job's body (what the campaign counts need). */
    JobState withoutBody() {
        return ready == null ? this : new JobState(campaignId, jobId, channel, generation, outcome, outcomeCode,
                suppressed, uploaded, delivery, failedCode, pricing, acceptedAt, null, actedFor, charge);
    }

    /** This state having taken a status action for its current generation. */
    JobState acted() {
        return new JobState(campaignId, jobId, channel, generation, outcome, outcomeCode, suppressed, uploaded,
                delivery, failedCode, pricing, acceptedAt, null, generation, charge);
    }

    private JobState keepingBody() {
        return settled() ? withoutBody() : this;
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
                    base.uploaded, base.delivery, base.failedCode, base.pricing, base.acceptedAt, base.ready,
                    base.actedFor, base.charge);
        }
        Instant accepted = result.outcome() == Outcome.ACCEPTED
                ? (result.sentAt() != null ? result.sentAt() : result.producedAt()) : base.acceptedAt;
        return new JobState(campaignId, jobId, channel, base.generation, result.outcome(),
                result.error() == null ? null : result.error().code(), base.suppressed,
                base.uploaded || result.uploadedAt() != null, base.delivery, base.failedCode, base.pricing, accepted,
                base.ready, base.actedFor, base.charge).keepingBody();
    }

    /** This state after a status webhook, without a rate card. */
    JobState with(StatusEvent status) {
        return with(status, null);
    }

    /**
     * This state after a status webhook; a charged message is priced by {@code card} (null: no rate card). Its
     * pricing counts once: of the statuses that carry pricing, the furthest decides ({@link JobCharge}).
     */
    JobState with(StatusEvent status, RateCard card) {
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
        String pricing = base.pricing;
        JobCharge charge = base.charge;
        JobCharge.Priced priced = JobCharge.of(status, card);
        if (priced != null && JobCharge.replaces(priced, charge == null ? null
                : new JobCharge.Priced(pricing == null ? JobCharge.UNKNOWN_CATEGORY : pricing, charge))) {
            pricing = priced.category();
            charge = priced.charge();
        }
        return new JobState(campaignId, jobId, base.channel, base.generation, base.outcome, base.outcomeCode,
                base.suppressed, base.uploaded, delivery, failed, pricing, base.acceptedAt, base.ready,
                base.actedFor, charge).keepingBody();
    }

    /** The state to update for an event of {@code gen}: this one, a fresh one for a newer generation, null for an older. */
    private JobState generationOf(int gen) {
        if (gen < generation) {
            return null;
        }
        if (gen > generation) {
            return new JobState(campaignId, jobId, channel, gen, null, null, suppressed, uploaded, 0, null, null, null,
                    ready != null && ready.generation() == gen ? ready : null, actedFor, null);
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

    /**
     * The charge the funnel counts: per-message pricing charges a delivered message, so one whose statuses end
     * {@code failed} before any {@code delivered} is neither charged nor free, even though its {@code sent} status
     * carried pricing; null also before any status carried pricing. The funnel's counts and the pricing metric
     * both follow this one rule.
     */
    JobCharge countedCharge() {
        return charge == null || (failed() && delivery < 2) ? null : charge;
    }

    /** The code it failed with: the status's, else the result's; null when it did not fail. */
    String failureCode() {
        if (failedCode != null) {
            return failedCode == 0 ? "unknown" : failedCode.toString();
        }
        return outcome == Outcome.FAILED ? (outcomeCode == null ? "unknown" : outcomeCode) : null;
    }
}
