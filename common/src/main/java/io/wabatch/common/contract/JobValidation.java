package io.wabatch.common.contract;

import java.util.List;

/**
 * The result of decoding and validating one {@code wa.jobs} record: a valid job, or every
 * problem found together with what could be read of the envelope (so each recipient still gets
 * a {@code failed} result and campaign counts stay complete).
 */
public sealed interface JobValidation {

    /** A job that can be processed. Individual recipients may still be rejected (see {@link CampaignJob#rejected()}). */
    record Valid(CampaignJob job) implements JobValidation {
    }

    /**
     * A job that cannot be processed.
     *
     * @param jobId      the job id if readable, else null
     * @param campaignId the campaign id if readable, else null
     * @param channel    the channel if readable, else null
     * @param recipients derived job id and number of each recipient that could be read; empty when none
     * @param callbackData the producer's reference if readable
     * @param problems   every problem, never empty
     */
    record Invalid(String jobId, String campaignId, String channel, List<Target> recipients,
                   String callbackData, List<Problem> problems) implements JobValidation {

        public Invalid {
            recipients = List.copyOf(recipients);
            problems = List.copyOf(problems);
        }

        /** All problems as one line, e.g. for a DLQ header. */
        public String reason() {
            return String.join("; ", problems.stream().map(Problem::toString).toList());
        }
    }

    /** A recipient of an invalid job: the message id it would have had and the number as far as known. */
    record Target(String jobId, String phone) {
    }
}
