package io.wabatch.sandbox.api.stats;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One message the sandbox accepted.
 *
 * @param wamid        the message ID it answered with
 * @param number       the sending number's phone-number ID
 * @param to           the recipient's digits, or {@code null} for a user known only by a BSUID (a username user)
 * @param type         the message type
 * @param callback     {@code biz_opaque_callback_data}, or {@code null}
 * @param receivedAtMs when it was accepted, epoch milliseconds
 * @param userId       the recipient's business-scoped user ID (BSUID)
 * @param endpoint     the endpoint that accepted it: {@value #MESSAGES} or {@value #MARKETING_MESSAGES}
 * @param pricing      what it costs if delivered (its status webhooks' {@code pricing}), or null when unknown
 */
public record AcceptedMessage(String wamid, String number, String to, String type, String callback,
        long receivedAtMs, String userId, String endpoint, Pricing pricing) {

    /** {@code POST .../messages}. */
    public static final String MESSAGES = "messages";
    /** {@code POST .../marketing_messages}, the Marketing Messages API. */
    public static final String MARKETING_MESSAGES = "marketing_messages";

    /** A message accepted by {@code /messages} for a recipient of unknown BSUID (the first version's shape). */
    public AcceptedMessage(String wamid, String number, String to, String type, String callback, long receivedAtMs) {
        this(wamid, number, to, type, callback, receivedAtMs, null, MESSAGES, null);
    }

    /** A message without a pricing decision (the shape before per-message pricing). */
    public AcceptedMessage(String wamid, String number, String to, String type, String callback, long receivedAtMs,
            String userId, String endpoint) {
        this(wamid, number, to, type, callback, receivedAtMs, userId, endpoint, null);
    }

    /** The digits, or for a username user the BSUID: whom the pair limit and duplicate bodies count. */
    public String recipientKey() {
        return to != null ? to : userId;
    }

    /** This record as served by {@code GET /_sandbox/messages}. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("wamid", wamid);
        node.put("number", number);
        node.put("to", to);
        node.put("user_id", userId);
        node.put("type", type);
        node.put("callback", callback);
        node.put("endpoint", endpoint);
        node.put("received_at_ms", receivedAtMs);
        if (pricing != null) {
            node.set("pricing", pricing.toJson());
        }
        return node;
    }
}
