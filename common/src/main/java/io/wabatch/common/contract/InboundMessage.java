package io.wabatch.common.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.time.Instant;

/**
 * A message a customer sent to a business number ({@code wa.inbound}, key: the sender's phone, or
 * their business-scoped user ID when the webhook names no phone), as the webhook receiver wrote it.
 * It opens the customer's 24-hour service window and may be an opt-out ("STOP"). A {@code system}
 * message is no customer's writing but the platform's note that a customer's identity changed
 * ({@link #system}).
 *
 * @param from          the customer's WhatsApp id (digits), or null when the webhook names no phone
 *                      ({@code from} empty or absent next to {@code from_user_id}); mask it in logs
 * @param wamid         the message's id
 * @param timestamp     when the API says it was sent; when the receiver took it if the webhook's value was
 *                      not epoch seconds (see {@link #rawTimestamp})
 * @param type          {@code text}, {@code button}, {@code interactive}, {@code image}, {@code system},
 *                      {@code unsupported}, ...
 * @param text          the text of a text message, a button's or reply's title, a system message's body; else null
 * @param phoneNumberId the business phone number id it was sent to
 * @param receivedAt    when the receiver took the webhook
 * @param fromUserId    the customer's business-scoped user ID ({@code from_user_id}, else {@code contacts[].user_id},
 *                      else a system message's new {@code user_id}), when given
 * @param system        what changed, for a {@code system} message; else null
 * @param rawTimestamp  the {@code timestamp} as it came when it was not epoch seconds, else null
 * @param dedupeKey     the same for every delivery of this message: its wamid, or a hash of the message when it
 *                      has none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InboundMessage(String from, String wamid, Instant timestamp, String type, String text,
                             String phoneNumberId, Instant receivedAt, String fromUserId, SystemChange system,
                             String rawTimestamp, String dedupeKey) {

    public static final String SYSTEM = "system";

    /**
     * A customer's identity changed ({@code messages[].system}): {@code user_changed_number} (a new phone
     * number, which also gives a new business-scoped user ID) or {@code user_changed_user_id} (only the
     * business-scoped user ID changed; no phone is given). Each part null where the webhook leaves it out.
     *
     * @param type                 {@code user_changed_number}, {@code user_changed_user_id}, or as it came
     * @param newPhone             the new number ({@code system.wa_id}, formerly {@code new_wa_id}), digits
     * @param userId               the new business-scoped user ID ({@code system.user_id})
     * @param parentUserId         the new parent business-scoped user ID ({@code system.parent_user_id})
     * @param previousUserId       the business-scoped user ID before the change
     * @param previousParentUserId the parent business-scoped user ID before the change
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SystemChange(String type, String newPhone, String userId, String parentUserId,
                               String previousUserId, String previousParentUserId) {

        public static final String USER_CHANGED_NUMBER = "user_changed_number";
        public static final String USER_CHANGED_USER_ID = "user_changed_user_id";
    }

    /** A message without a business-scoped user ID. */
    public InboundMessage(String from, String wamid, Instant timestamp, String type, String text,
                          String phoneNumberId, Instant receivedAt) {
        this(from, wamid, timestamp, type, text, phoneNumberId, receivedAt, null);
    }

    /** A customer's message, not a system message, its timestamp readable. */
    public InboundMessage(String from, String wamid, Instant timestamp, String type, String text,
                          String phoneNumberId, Instant receivedAt, String fromUserId) {
        this(from, wamid, timestamp, type, text, phoneNumberId, receivedAt, fromUserId, null, null, null);
    }

    public InboundMessage {
        dedupeKey = dedupeKey == null ? wamid : dedupeKey;
    }

    /** The customer's address: the phone, else the business-scoped user ID (the record's key). */
    public String sender() {
        return from != null ? from : fromUserId;
    }

    public static InboundMessage decode(byte[] json) throws IOException {
        return Json.read(json, InboundMessage.class);
    }
}
