package io.wabatch.common.contract;

import java.io.IOException;
import java.time.Instant;

/**
 * A message a customer sent to a business number ({@code wa.inbound}, key: the sender's phone), as
 * the webhook receiver wrote it. It opens the customer's 24-hour service window and may be an
 * opt-out ("STOP").
 *
 * @param from          the customer's WhatsApp id (digits); mask it in logs
 * @param wamid         the message's id
 * @param timestamp     when the API says it was sent
 * @param type          {@code text}, {@code button}, {@code interactive}, {@code image}, ...
 * @param text          the text of a text message, or a button's or reply's title; else null
 * @param phoneNumberId the business phone number id it was sent to
 * @param receivedAt    when the receiver took the webhook
 * @param fromUserId    the customer's business-scoped user ID ({@code from_user_id}), when given
 */
public record InboundMessage(String from, String wamid, Instant timestamp, String type, String text,
                             String phoneNumberId, Instant receivedAt, String fromUserId) {

    /** A message without a business-scoped user ID. */
    public InboundMessage(String from, String wamid, Instant timestamp, String type, String text,
                          String phoneNumberId, Instant receivedAt) {
        this(from, wamid, timestamp, type, text, phoneNumberId, receivedAt, null);
    }

    public static InboundMessage decode(byte[] json) throws IOException {
        return Json.read(json, InboundMessage.class);
    }
}
