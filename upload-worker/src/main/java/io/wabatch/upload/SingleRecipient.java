package io.wabatch.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.Bsuids;
import io.wabatch.common.contract.CampaignJob;

/**
 * The dead letter of one recipient of a batch: the original job narrowed to that recipient, so a
 * dead letter stays small (not the whole 1,000-recipient job per rejected number) and re-publishing
 * it never re-sends the rest of the batch. A plain-number recipient becomes {@code to} (a plain
 * business-scoped user ID {@code recipient}) with job id
 * {@code <job_id>/<index>}, exactly its message id; a recipient with vars stays a one-element
 * {@code recipients} list, whose re-drive gets the id {@code <job_id>/<index>/0}.
 */
final class SingleRecipient {

    private SingleRecipient() {
    }

    static ObjectNode of(CampaignJob job, int index) {
        ObjectNode copy = job.raw().deepCopy();
        if (index < 0) {
            return copy;
        }
        JsonNode entry = job.raw().path("recipients").get(index);
        copy.remove("recipients");
        copy.put("job_id", job.jobId() + "/" + index);
        if (entry.isTextual()) {
            copy.set(Bsuids.isBsuid(entry.asText().strip()) ? "recipient" : "to", entry);
        } else {
            copy.putArray("recipients").add(entry.deepCopy());
        }
        return copy;
    }
}
