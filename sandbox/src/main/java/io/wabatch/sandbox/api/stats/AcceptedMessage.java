package io.wabatch.sandbox.api.stats;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One message the sandbox accepted.
 *
 * @param wamid        the message ID it answered with
 * @param number       the sending number's phone-number ID
 * @param to           the recipient's digits
 * @param type         the message type
 * @param callback     {@code biz_opaque_callback_data}, or {@code null}
 * @param receivedAtMs when it was accepted, epoch milliseconds
 */
public record AcceptedMessage(String wamid, String number, String to, String type, String callback,
        long receivedAtMs) {

    /** This record as served by {@code GET /_sandbox/messages}. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("wamid", wamid);
        node.put("number", number);
        node.put("to", to);
        node.put("type", type);
        node.put("callback", callback);
        node.put("received_at_ms", receivedAtMs);
        return node;
    }
}
