package io.wabatch.common.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * A validated campaign job from {@code wa.jobs} (contract v1, DESIGN §3).
 *
 * @param jobId        the producer's id, at most 64 characters of {@code [A-Za-z0-9._:/-]}
 * @param campaignId   the campaign it belongs to, same alphabet
 * @param channel      the channel (WhatsApp number) that sends it; known to the registry
 * @param recipients   the valid recipients, duplicates removed, in the producer's order
 * @param rejected     recipients that cannot be sent to, each with its reason
 * @param duplicates   how many recipients were dropped as duplicates of an earlier one
 * @param message      the WhatsApp message body as the producer wrote it (without {@code to})
 * @param notAfter     after this instant the job is {@code expired}; null when unbounded
 * @param notBefore    the message must not be sent before this instant; null when it may go at once.
 *                     When both are set, it is strictly before {@code notAfter}
 * @param inDoubt      what the sender does when a call's answer is lost; null for the sender's default
 * @param callbackData the producer's reference, carried to results and statuses, never to the API
 * @param raw          the whole record as received, unknown fields included
 */
public record CampaignJob(
        String jobId,
        String campaignId,
        String channel,
        List<Recipient> recipients,
        List<RecipientRejection> rejected,
        int duplicates,
        ObjectNode message,
        Instant notAfter,
        Instant notBefore,
        InDoubtPolicy inDoubt,
        String callbackData,
        ObjectNode raw) {

    /** The only contract version this build reads. */
    public static final int VERSION = 1;
    /** Most recipients one job may carry. */
    public static final int MAX_RECIPIENTS = 1_000;
    /**
     * Largest record the upload worker reads as a job, in bytes: 1,000 recipients with variables
     * fit several times over. Below the jobs topic's {@code max.message.bytes}
     * ({@link io.wabatch.common.kafka.TopicNames#JOBS_MAX_MESSAGE_BYTES}), so anything larger that
     * the broker accepted is dead-lettered whole, unparsed.
     */
    public static final int MAX_BYTES = 512 << 10;

    public CampaignJob {
        recipients = List.copyOf(recipients);
        rejected = List.copyOf(rejected);
    }

    /** The message type ({@code image}, {@code template}, ...); {@code text} when the message has none, as the API reads it. */
    public String type() {
        return message.path("type").asText("text");
    }

    /** True when the job is past its {@code not_after} at {@code now}. */
    public boolean expiredAt(Instant now) {
        return notAfter != null && now.isAfter(notAfter);
    }
}
