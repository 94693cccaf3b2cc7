package io.wabatch.common.contract;

import java.time.Instant;

/**
 * The final outcome of one message ({@code wa.results}, key {@code <channel>/<recipient>}).
 *
 * @param jobId        the recipient's job id
 * @param campaignId   campaign id, when known
 * @param channel      channel id, when known
 * @param to           recipient (E.164 digits), when known; mask it in logs
 * @param outcome      what happened
 * @param wamid        the API's message id when accepted
 * @param error        why it failed, for failed/expired/parked outcomes
 * @param attempts     API calls made for it
 * @param callbackData the producer's reference
 * @param generation   the send generation (1 = first)
 * @param enqueuedAt   when the campaign job was read
 * @param uploadedAt   when its ready job was produced
 * @param sentAt       when the API accepted it
 * @param producedAt   when this result was written
 * @param endpoint     the API endpoint of the accepted call: {@code messages}, or {@code marketing_messages}
 *                     (the Marketing Messages API); null when no call was accepted
 */
public record JobResult(
        String jobId,
        String campaignId,
        String channel,
        String to,
        Outcome outcome,
        String wamid,
        ResultError error,
        int attempts,
        String callbackData,
        int generation,
        Instant enqueuedAt,
        Instant uploadedAt,
        Instant sentAt,
        Instant producedAt,
        String endpoint) {

    /** The endpoint of a call by {@code /messages}. */
    public static final String MESSAGES = "messages";
    /** The endpoint of a call by the Marketing Messages API. */
    public static final String MARKETING_MESSAGES = "marketing_messages";

    /** A result without an accepted call's endpoint. */
    public JobResult(String jobId, String campaignId, String channel, String to, Outcome outcome, String wamid,
                     ResultError error, int attempts, String callbackData, int generation, Instant enqueuedAt,
                     Instant uploadedAt, Instant sentAt, Instant producedAt) {
        this(jobId, campaignId, channel, to, outcome, wamid, error, attempts, callbackData, generation, enqueuedAt,
                uploadedAt, sentAt, producedAt, null);
    }

    /** The Kafka key: {@code <channel>/<recipient>}, or the job id when either is unknown. */
    public String key() {
        return channel != null && to != null ? channel + "/" + to : jobId;
    }
}
