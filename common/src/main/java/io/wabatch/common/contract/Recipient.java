package io.wabatch.common.contract;

import java.util.Map;

/**
 * One validated recipient of a job.
 *
 * @param index   position in the job's {@code recipients} array, or -1 for a job with a single recipient
 * @param input   the number or ID as the producer wrote it
 * @param address who the message goes to: the number in E.164 digits without the plus sign (WhatsApp's
 *                {@code wa_id} form) when the producer gave one, else the business-scoped user ID
 * @param userId  the business-scoped user ID when the producer gave one (with or without a number), else null
 * @param vars    placeholder values for this recipient; empty when none were given
 */
public record Recipient(int index, String input, String address, String userId, Map<String, String> vars) {

    public Recipient {
        vars = Map.copyOf(vars);
    }

    /** A recipient given by phone number only. */
    public Recipient(int index, String input, String phone, Map<String, String> vars) {
        this(index, input, phone, null, vars);
    }

    /** The deterministic id of this recipient's message: the job id, or {@code <job_id>/<index>} in a batch. */
    public String jobId(String parentJobId) {
        return index < 0 ? parentJobId : parentJobId + "/" + index;
    }
}
