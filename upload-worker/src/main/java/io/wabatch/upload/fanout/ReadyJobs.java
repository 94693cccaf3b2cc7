package io.wabatch.upload.fanout;

import io.wabatch.common.contract.Placeholders;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.CampaignJob;
import io.wabatch.common.contract.MediaRef;
import io.wabatch.common.contract.MediaType;
import io.wabatch.common.contract.Problem;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.contract.Recipient;
import io.wabatch.upload.media.LinkMedia;
import io.wabatch.upload.media.UploadedMedia;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fans a campaign job out into one ready job per recipient: the message with every link media
 * replaced by its uploaded id (and a document's filename kept or derived), placeholders filled
 * from the recipient's vars, and the media sources kept for re-upload.
 */
public final class ReadyJobs {

    private ReadyJobs() {
    }

    /** One recipient's ready job, or the problem that keeps it from being sent. */
    public record Built(ReadyJob job, Problem problem) {
    }

    /**
     * @param media    the uploaded id of each link media of the message
     * @param usesVars true when any recipient of the job has vars: then every placeholder must be filled
     */
    public static Built build(CampaignJob job, Recipient recipient, Map<LinkMedia, UploadedMedia> media,
                              boolean usesVars, Instant enqueuedAt, Instant now) {
        ObjectNode message = job.message().deepCopy();
        message.remove(List.of("messaging_product", "recipient_type"));
        List<MediaRef> refs = new ArrayList<>();
        media.forEach((link, uploaded) -> refs.add(place(message, link, uploaded)));
        if (usesVars) {
            Set<String> missing = Placeholders.fill(message, recipient.vars());
            if (!missing.isEmpty()) {
                String path = recipient.index() < 0 ? "to" : "recipients[" + recipient.index() + "].vars";
                return new Built(null, new Problem(path, "no value for placeholder(s) "
                        + String.join(", ", missing.stream().map(n -> "{{" + n + "}}").toList())));
            }
        }
        ReadyJob ready = new ReadyJob(CampaignJob.VERSION, recipient.jobId(job.jobId()), job.campaignId(),
                job.channel(), recipient.address(), message, refs, job.notAfter(), job.notBefore(), job.inDoubt(),
                job.callbackData(), 1, enqueuedAt, now);
        return new Built(ready, null);
    }

    private static MediaRef place(ObjectNode message, LinkMedia link, UploadedMedia uploaded) {
        ObjectNode object = (ObjectNode) message.at(link.pointer());
        object.remove("link");
        object.put("id", uploaded.mediaId());
        if (link.type() == MediaType.DOCUMENT && !object.hasNonNull("filename") && uploaded.filename().contains(".")) {
            object.put("filename", uploaded.filename());
        }
        return new MediaRef(link.pointer(), link.link(), uploaded.mediaId(), uploaded.mimeType(), uploaded.sha256());
    }
}
