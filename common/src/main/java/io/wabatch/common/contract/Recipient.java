package io.wabatch.common.contract;

import java.util.Map;

/**
 * One validated recipient of a job.
 *
 * @param index position in the job's {@code recipients} array, or -1 for a job with a single {@code to}
 * @param input the number as the producer wrote it
 * @param phone the number in E.164 digits without the plus sign (WhatsApp's {@code wa_id} form)
 * @param vars  placeholder values for this recipient; empty when none were given
 */
public record Recipient(int index, String input, String phone, Map<String, String> vars) {

    public Recipient {
        vars = Map.copyOf(vars);
    }

    /** The deterministic id of this recipient's message: the job id, or {@code <job_id>/<index>} in a batch. */
    public String jobId(String parentJobId) {
        return index < 0 ? parentJobId : parentJobId + "/" + index;
    }
}
