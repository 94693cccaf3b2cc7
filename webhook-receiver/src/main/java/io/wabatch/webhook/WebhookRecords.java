package io.wabatch.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.common.contract.InboundMessage;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.PlatformEvent;
import io.wabatch.common.contract.StatusEvent;
import io.wabatch.common.kafka.TopicNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The records of one webhook: statuses to {@code wa.status} (key: wamid), customer messages to
 * {@code wa.inbound} (key: their phone, else their business-scoped user ID), platform events to
 * {@code wa.platform.events} (key: the business account), and what could not be read, raw, to
 * {@code wa.webhooks.unparsed} with the reason in headers. Pure: it never throws on a body.
 */
final class WebhookRecords {

    /** Header of an unparsed record: {@link UnparsedReason#tag()}. */
    static final String REASON_HEADER = "wabatch.unparsed.reason";
    /** Header of an unparsed record: what was wrong, in words (no values of the body). */
    static final String DETAIL_HEADER = "wabatch.unparsed.detail";
    /** Header of an unparsed record: when the receiver took the webhook (ISO-8601). */
    static final String RECEIVED_HEADER = "wabatch.received.at";
    private static final int MAX_DETAIL = 500;

    /**
     * What one signed body becomes.
     *
     * @param records  what to write
     * @param events   the events read, or null when the body could not be read at all
     * @param unparsed why the raw body is among the records, or null when it is not
     * @param detail   what was wrong, in words, or null
     */
    record Outcome(List<ProducerRecord<byte[], byte[]>> records, WebhookEvents.Parsed events,
                   UnparsedReason unparsed, String detail) {
    }

    private final TopicNames topics;

    WebhookRecords(TopicNames topics) {
        this.topics = topics;
    }

    /** Reads {@code body}: its events' records, or its raw bytes with the reason when it cannot be read. */
    Outcome read(byte[] body, Instant receivedAt) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
        } catch (IOException e) {
            String detail = "not JSON: " + (e instanceof JsonProcessingException json ? json.getOriginalMessage()
                    : e.getClass().getSimpleName());
            return whole(body, UnparsedReason.NOT_JSON, detail, receivedAt);
        }
        if (root == null || root.isMissingNode()) {
            return whole(body, UnparsedReason.NOT_JSON, "an empty body", receivedAt);
        }
        WebhookEvents.Parsed events;
        try {
            events = WebhookEvents.parse(root, receivedAt);
        } catch (IllegalArgumentException e) {
            return whole(body, UnparsedReason.NOT_WEBHOOK, e.getMessage(), receivedAt);
        } catch (RuntimeException e) {
            // A shape the reader trips over is kept like any other it does not know.
            return whole(body, UnparsedReason.UNREADABLE_ITEM, "reader failed: " + e, receivedAt);
        }
        String detail = events.unreadable().isEmpty() ? null : String.join("; ", events.unreadable());
        return new Outcome(of(events, body, receivedAt), events,
                detail == null ? null : UnparsedReason.UNREADABLE_ITEM, detail);
    }

    private Outcome whole(byte[] body, UnparsedReason reason, String detail, Instant receivedAt) {
        return new Outcome(List.of(unparsed(body, reason, detail, receivedAt)), null, reason, detail);
    }

    /** The events' records; with an unparsed record of the whole {@code body} when an item was unreadable. */
    List<ProducerRecord<byte[], byte[]>> of(WebhookEvents.Parsed events, byte[] body, Instant receivedAt) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(events.size() + 1);
        for (StatusEvent status : events.statuses()) {
            records.add(new ProducerRecord<>(topics.status(), utf8(status.wamid()), Json.bytes(status)));
        }
        for (InboundMessage message : events.inbound()) {
            records.add(new ProducerRecord<>(topics.inbound(), utf8(message.sender()), Json.bytes(message)));
        }
        for (PlatformEvent event : events.platform()) {
            records.add(new ProducerRecord<>(topics.platformEvents(), utf8(event.wabaId()), Json.bytes(event)));
        }
        if (!events.unreadable().isEmpty()) {
            records.add(unparsed(body, UnparsedReason.UNREADABLE_ITEM, String.join("; ", events.unreadable()),
                    receivedAt));
        }
        return records;
    }

    /** The raw body with the reason, the detail and the receive time in headers (no key: one partition). */
    ProducerRecord<byte[], byte[]> unparsed(byte[] body, UnparsedReason reason, String detail, Instant receivedAt) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topics.unparsedWebhooks(), null, body);
        record.headers().add(REASON_HEADER, utf8(reason.tag()));
        String words = detail == null ? "" : detail;
        record.headers().add(DETAIL_HEADER, utf8(words.length() > MAX_DETAIL ? words.substring(0, MAX_DETAIL) : words));
        record.headers().add(RECEIVED_HEADER, utf8(receivedAt.toString()));
        return record;
    }

    private static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}
