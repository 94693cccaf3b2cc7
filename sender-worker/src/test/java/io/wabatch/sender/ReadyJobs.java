package io.wabatch.sender;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.MediaRef;
import io.wabatch.common.contract.ReadyJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Ready jobs as the upload worker would produce them, built directly for the sender's input topic. */
public final class ReadyJobs {

    private ReadyJobs() {
    }

    /** A recipient in E.164 digits, distinct per {@code index} (0..9,999,999) and {@code block} (0..9). */
    public static String recipient(int block, int index) {
        return "4915" + block + String.format("%07d", index);
    }

    /** A text message to {@code to}; the body names the job so no two bodies are equal. */
    public static ReadyJob text(String campaign, String jobId, String channel, String to) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "text");
        message.putObject("text").put("body", "Hello from " + jobId);
        return job(campaign, jobId, channel, to, message, List.of(), 1);
    }

    /** {@code count} text messages of one campaign to distinct recipients, job ids {@code <campaign>/<i>}. */
    public static List<ReadyJob> texts(String campaign, String channel, int block, int count) {
        List<ReadyJob> jobs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            jobs.add(text(campaign, campaign + "/" + i, channel, recipient(block, i)));
        }
        return jobs;
    }

    /** An image message by media id that the upload worker uploaded from {@code link}. */
    public static ReadyJob image(String campaign, String jobId, String channel, String to, String mediaId, String link,
                          int generation) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "image");
        message.putObject("image").put("id", mediaId).put("caption", "for " + jobId);
        return job(campaign, jobId, channel, to, message,
                List.of(new MediaRef("/image", link, mediaId, "image/jpeg", null)), generation);
    }

    /** A message of a type the API does not know (131051). */
    public static ReadyJob unsupportedType(String campaign, String jobId, String channel, String to) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "carrier_pigeon");
        message.putObject("carrier_pigeon").put("body", "coo");
        return job(campaign, jobId, channel, to, message, List.of(), 1);
    }

    public static ReadyJob job(String campaign, String jobId, String channel, String to, ObjectNode message,
                        List<MediaRef> media, int generation) {
        Instant now = Instant.now();
        return new ReadyJob(1, jobId, campaign, channel, to, message, media, null, null, null, "crm-" + jobId,
                generation, now, now);
    }

    /** {@code job} not to be sent before {@code notBefore}. */
    public static ReadyJob notBefore(ReadyJob job, Instant notBefore) {
        return new ReadyJob(job.v(), job.jobId(), job.campaignId(), job.channel(), job.to(), job.message(), job.media(),
                job.notAfter(), notBefore, job.inDoubt(), job.callbackData(), job.generation(), job.enqueuedAt(),
                job.uploadedAt());
    }

    /** {@code job} expiring at {@code notAfter}. */
    public static ReadyJob notAfter(ReadyJob job, Instant notAfter) {
        return new ReadyJob(job.v(), job.jobId(), job.campaignId(), job.channel(), job.to(), job.message(), job.media(),
                notAfter, job.notBefore(), job.inDoubt(), job.callbackData(), job.generation(), job.enqueuedAt(),
                job.uploadedAt());
    }
}
