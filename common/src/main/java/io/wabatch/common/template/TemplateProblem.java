package io.wabatch.common.template;

import io.wabatch.common.metrics.ErrorCodes;

/**
 * Why a job's template cannot succeed: an error code (as in results, dead letters and metric tags)
 * and a reason a person can act on, naming the template, its language and what differs, e.g.
 * {@code template spring_sale (en_US) body takes 2 parameters, the job gives 3}.
 */
public record TemplateProblem(String code, String reason) {

    /** The account's catalogue has no template of that name, or not in that language (the API: 132001). */
    public static final String UNKNOWN = ErrorCodes.TEMPLATE_UNKNOWN;
    /** The template is PAUSED for low quality (the API: 132015); Meta reinstates it as APPROVED when it recovers. */
    public static final String PAUSED = ErrorCodes.TEMPLATE_PAUSED;
    /** The template is in any other state but APPROVED: PENDING, REJECTED, DISABLED (132016), ... */
    public static final String NOT_APPROVED = ErrorCodes.TEMPLATE_NOT_APPROVED;
    /** The job does not fit the template: parameter counts, card count, button kinds, header format (132000, 132012). */
    public static final String MISMATCH = ErrorCodes.TEMPLATE_MISMATCH;

    @Override
    public String toString() {
        return code + ": " + reason;
    }
}
