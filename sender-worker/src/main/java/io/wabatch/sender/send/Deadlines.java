package io.wabatch.sender.send;

import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.control.CampaignPolicy;
import io.wabatch.sender.control.CampaignControl;
import java.time.Instant;

/**
 * A job's deadline: the earlier of its own {@code not_after} and its campaign's {@code send_before}
 * (read from the campaign's latest {@code wa.control} record at every check, so a deadline published
 * after the job was claimed still holds). Past it, or due only after it, the job ends {@code expired}.
 *
 * <p>Threading: called on the sender's event loop; reads the campaign states, never blocks. Errors:
 * none expected.
 */
final class Deadlines {

    /**
     * One deadline.
     *
     * @param at        the instant
     * @param exclusive {@code send_before}: nothing is sent at the instant itself; {@code not_after}: a
     *                  message may still go at it
     * @param source    what set it, for the result's details
     */
    record Deadline(Instant at, boolean exclusive, String source) {

        /** True when nothing may be sent at {@code now} any more. */
        boolean passed(Instant now) {
            return exclusive ? !now.isBefore(at) : now.isAfter(at);
        }

        /** True when a job due at {@code due} would be due too late. */
        boolean missedBy(Instant due) {
            return due != null && passed(due);
        }

        /** Why a job ends expired at {@code now}, waiting (or not) until {@code due} for {@code reason}. */
        String details(Instant now, Instant due, String reason) {
            return passed(now) ? source + " " + at + " passed"
                    : "it could not be sent before " + due + " (" + reason + "), after its " + source + " " + at;
        }
    }

    private final CampaignControl campaigns;

    Deadlines(CampaignControl campaigns) {
        this.campaigns = campaigns;
    }

    /** The job's deadline, or null when it has none. */
    Deadline of(ReadyJob job) {
        CampaignPolicy policy = campaigns.current(job.campaignId()).effectivePolicy();
        Instant sendBefore = policy.sendBefore();
        Instant notAfter = job.notAfter();
        if (sendBefore != null && (notAfter == null || !notAfter.isBefore(sendBefore))) {
            return new Deadline(sendBefore, true, "campaign " + job.campaignId() + "'s send_before");
        }
        return notAfter == null ? null : new Deadline(notAfter, false, "not_after");
    }

    /** True when the job may still be sent at {@code now}. */
    boolean open(ReadyJob job, Instant now) {
        Deadline deadline = of(job);
        return deadline == null || !deadline.passed(now);
    }

    /** True when the job, due at {@code due}, would be due too late. */
    boolean missedBy(ReadyJob job, Instant due) {
        Deadline deadline = of(job);
        return deadline != null && deadline.missedBy(due);
    }
}
