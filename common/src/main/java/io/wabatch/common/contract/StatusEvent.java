package io.wabatch.common.contract;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * One message status from a WhatsApp webhook ({@code wa.status}, key: the wamid), as the webhook
 * receiver wrote it: what the API said, plus the campaign, job and generation recovered from the
 * {@linkplain CallbackToken correlation token} the API echoed. Webhooks arrive at least once and out
 * of order; consumers dedupe on ({@link #wamid}, {@link #status}).
 *
 * @param wamid         the API's message id
 * @param status        {@code sent}, {@code delivered}, {@code read}, {@code failed} (or {@code played}, ...)
 * @param timestamp     when the API says it happened
 * @param recipient     the recipient's WhatsApp id (digits); mask it in logs
 * @param phoneNumberId the business phone number id the status is about
 * @param errors        why it failed, for {@code failed}
 * @param pricing       the pricing block of successful statuses, else null
 * @param campaignId    from the token; null when the message was not sent by wabatch
 * @param jobId         from the token
 * @param generation    from the token
 * @param receivedAt    when the receiver took the webhook
 * @param recipientUserId the recipient's business-scoped user ID ({@code recipient_user_id}), when given
 * @param groupId       for a status of a message to a group ({@code recipient_type: group}): the group's id
 *                      ({@code recipient_id}); {@code recipient} is then the member the status is about
 *                      ({@code recipient_participant_id}). Else null
 * @param rawTimestamp  the {@code timestamp} as it came when it was not epoch seconds (then {@link #timestamp} is
 *                      when the receiver took the webhook), else null
 */
public record StatusEvent(String wamid, String status, Instant timestamp, String recipient, String phoneNumberId,
                          List<StatusError> errors, Pricing pricing, String campaignId, String jobId,
                          Integer generation, Instant receivedAt, String recipientUserId, String groupId,
                          String rawTimestamp) {

    /** A status of a message to one person, its timestamp readable. */
    public StatusEvent(String wamid, String status, Instant timestamp, String recipient, String phoneNumberId,
                       List<StatusError> errors, Pricing pricing, String campaignId, String jobId,
                       Integer generation, Instant receivedAt, String recipientUserId) {
        this(wamid, status, timestamp, recipient, phoneNumberId, errors, pricing, campaignId, jobId, generation,
                receivedAt, recipientUserId, null, null);
    }

    /** A status without a business-scoped user ID. */
    public StatusEvent(String wamid, String status, Instant timestamp, String recipient, String phoneNumberId,
                       List<StatusError> errors, Pricing pricing, String campaignId, String jobId,
                       Integer generation, Instant receivedAt) {
        this(wamid, status, timestamp, recipient, phoneNumberId, errors, pricing, campaignId, jobId, generation,
                receivedAt, null);
    }

    public static final String SENT = "sent";
    public static final String DELIVERED = "delivered";
    public static final String READ = "read";
    public static final String FAILED = "failed";

    public StatusEvent {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** An error of a failed status. */
    public record StatusError(Integer code, String title, String details) {
    }

    /**
     * Pricing of a successful status (whatsapp-api-facts §10), each field as the webhook gave it, null when absent.
     *
     * @param category     marketing, marketing_lite, utility, authentication, authentication_international,
     *                     service, ...
     * @param billable     deprecated by Meta: read, but {@link #type} decides whether a message is charged
     * @param pricingModel {@code PMP} (per message, since 2025-07-01) or {@code CBP} (per conversation, older)
     * @param type         {@code regular} (charged), {@code free_customer_service} or {@code free_entry_point};
     *                     absent from conversation-based ({@code CBP}) statuses
     */
    public record Pricing(String category, Boolean billable, String pricingModel, String type) {

        /** A pricing without {@code type}, as conversation-based statuses (and records before it) have it. */
        public Pricing(String category, Boolean billable, String pricingModel) {
            this(category, billable, pricingModel, null);
        }
    }

    /** The first error's code, or null. */
    public Integer errorCode() {
        return errors.isEmpty() ? null : errors.get(0).code();
    }

    /**
     * The same for every delivery of this status: wamid and status, and the member for a group's status
     * (each member's read is its own event).
     */
    public String dedupeKey() {
        return wamid + "/" + status + (groupId == null ? "" : "/" + recipient);
    }

    /** True when the token names a wabatch job. */
    public boolean correlated() {
        return campaignId != null && jobId != null;
    }

    public static StatusEvent decode(byte[] json) throws IOException {
        return Json.read(json, StatusEvent.class);
    }
}
