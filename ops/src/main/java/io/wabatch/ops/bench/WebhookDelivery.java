package io.wabatch.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.Json;

/**
 * One kind of webhook (statuses, or customers' messages) from the sandbox to its topic over a whole run: what
 * the sandbox posted and how the receiver answered (its {@code GET /_sandbox/webhooks} counts of that kind), and
 * what reached the topic. The receiver answers 200 only once Kafka acknowledged a body's records, so every body
 * answered 200 must be in the topic. The sandbox posts one status or one message per webhook, each with an
 * identity of its own (wamid and status, or the message's wamid), so the distinct identities in the topic are the
 * bodies that reached it and {@link #lost} is the bodies answered 200 less those. Exact while no body was given
 * up ({@code undeliverable} 0): a body stored but never answered 200 would otherwise hide a lost one.
 *
 * @param posted        attempts (a retry is another)
 * @param answeredOk    bodies answered 2xx
 * @param refused       attempts not answered 2xx (or not answered)
 * @param undeliverable bodies given up after the sandbox's last try
 * @param records       records in the topic
 * @param distinct      distinct identities among them
 */
record WebhookDelivery(long posted, long answeredOk, long refused, long undeliverable, long records, long distinct) {

    /** From the sandbox's counts of one kind ({@code statuses} or {@code inbound}) and its topic's records. */
    static WebhookDelivery of(JsonNode tally, TopicCount topic) {
        return new WebhookDelivery(tally.path("posted").asLong(), tally.path("answered_ok").asLong(),
                tally.path("refused").asLong(), tally.path("undeliverable").asLong(), topic.records(),
                topic.distinct());
    }

    /** Bodies answered 200 whose event is not in the topic. */
    long lost() {
        return Math.max(0, answeredOk - distinct);
    }

    /** Records beyond the first of each event (a body stored, then posted again). */
    long duplicates() {
        return records - distinct;
    }

    ObjectNode toJson() {
        return Json.mapper().createObjectNode().put("posted", posted).put("answered_ok", answeredOk)
                .put("refused", refused).put("undeliverable", undeliverable).put("records", records)
                .put("distinct", distinct).put("lost", lost()).put("duplicates", duplicates());
    }
}
