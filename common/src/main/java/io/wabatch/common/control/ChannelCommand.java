package io.wabatch.common.control;

import io.wabatch.common.contract.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The desired state of a channel, kept in the compacted {@code wa.control} topic under the key
 * {@code channel:<id>}: the latest record wins, so every sender instance and every restart sees it.
 *
 * @param state  {@code running} or {@code paused}
 * @param reason why, in words (for a pause: the API error that caused it, or the operator's note)
 * @param by     who set it: {@code sender} (automatic pause) or {@code operator}
 * @param at     when
 */
public record ChannelCommand(String state, String reason, String by, Instant at) {

    public static final String RUNNING = "running";
    public static final String PAUSED = "paused";
    private static final String PREFIX = "channel:";

    public boolean paused() {
        return PAUSED.equals(state);
    }

    /** The record that sets {@code channel}'s state. */
    public ProducerRecord<byte[], byte[]> toRecord(String topic, String channel) {
        return new ProducerRecord<>(topic, (PREFIX + channel).getBytes(StandardCharsets.UTF_8), Json.bytes(this));
    }

    /** The channel a control key names, or null when the key is about something else. */
    public static String channelOf(byte[] key) {
        String text = key == null ? "" : new String(key, StandardCharsets.UTF_8);
        return text.startsWith(PREFIX) ? text.substring(PREFIX.length()) : null;
    }

    /** Reads a command; null for a tombstone or an unreadable value. */
    public static ChannelCommand read(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            ChannelCommand command = Json.read(value, ChannelCommand.class);
            return command.state() == null ? null : command;
        } catch (IOException e) {
            return null;
        }
    }
}
