package io.wabatch.common.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * One message ready to send ({@code wa.jobs.ready}): one recipient, the API-ready message with
 * media ids and placeholders filled in, the envelope, and the original media sources.
 *
 * @param v            contract version (1)
 * @param jobId        the recipient's deterministic job id ({@code <job_id>/<index>} in a batch)
 * @param campaignId   campaign id
 * @param channel      channel id; also the partition owner
 * @param to           recipient in E.164 digits
 * @param message      the message body without {@code to} and {@code messaging_product}
 * @param media        the link media that were uploaded for it
 * @param notAfter     expiry instant, or null
 * @param notBefore    the message must not be sent before this instant, or null
 * @param inDoubt      the campaign job's {@code in_doubt} policy, or null for the sender's default
 * @param callbackData the producer's reference
 * @param generation   1 for the first send; incremented by intentional resends (re-upload, re-drive)
 * @param enqueuedAt   when the campaign job was read by the upload worker
 * @param uploadedAt   when this ready job was produced
 */
public record ReadyJob(
        int v,
        String jobId,
        String campaignId,
        String channel,
        String to,
        ObjectNode message,
        List<MediaRef> media,
        Instant notAfter,
        Instant notBefore,
        InDoubtPolicy inDoubt,
        String callbackData,
        int generation,
        Instant enqueuedAt,
        Instant uploadedAt) {

    public ReadyJob {
        media = media == null ? List.of() : List.copyOf(media);
    }

    /** The Kafka key of the ready job and of its result: {@code <channel>/<recipient>}. */
    public String key() {
        return channel + "/" + to;
    }

    /** Reads a ready job; throws on malformed input. */
    public static ReadyJob decode(byte[] value) throws IOException {
        if (value == null || value.length == 0) {
            throw new IOException("the record has no value; expected a JSON ready job");
        }
        ReadyJob job = Json.read(value, ReadyJob.class);
        if (job.v != CampaignJob.VERSION || job.jobId == null || job.channel == null || job.to == null
                || job.message == null || job.campaignId == null) {
            throw new IOException("ready job lacks v=1, job_id, campaign_id, channel, to or message");
        }
        return job;
    }

    /** The message type; {@code text} when the message names none, as the API reads it. */
    public String type() {
        JsonNode type = message.get("type");
        return type == null || type.isNull() ? "text" : type.asText();
    }
}
