package io.wabatch.common.contract;

/** A recipient of an otherwise valid job that cannot be sent to (for example a malformed number). */
public record RecipientRejection(int index, String input, Problem problem) {

    /** The id this recipient's message would have had, for its {@code failed} result. */
    public String jobId(String parentJobId) {
        return index < 0 ? parentJobId : parentJobId + "/" + index;
    }
}
