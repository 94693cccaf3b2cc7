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
 * <p>Every record is the channel's whole desired state: writers start from the latest one they
 * read ({@link #paused(String, String, Instant, Instant)}, {@link #running}, {@link #withPace}) so a
 * pause keeps a pace override and a pace change keeps a pause.
 *
 * @param state    {@code running} or {@code paused}
 * @param reason   why, in words (for a pause: the API error that caused it, or the operator's note)
 * @param by       who set it: {@code sender} (automatic pause), {@code operator} or {@code probe}
 * @param at       when
 * @param until    for a pause that ends by itself (a WABA-wide rate limit), when it ends; else null
 * @param mps      the channel's throughput limit overriding the registry's, or null for the registry's
 * @param headroom the share of the limit to use overriding the registry's, or null for the registry's
 */
public record ChannelCommand(String state, String reason, String by, Instant at, Instant until, Integer mps,
                             Double headroom) {

    /** A state without pace overrides or end. */
    public ChannelCommand(String state, String reason, String by, Instant at) {
        this(state, reason, by, at, null, null, null);
    }

    /** The state a channel has before any command: running, registry pace. */
    public static ChannelCommand initial() {
        return new ChannelCommand(RUNNING, null, null, null);
    }

    /** This channel paused ({@code until} null: until resumed), keeping its pace overrides. */
    public ChannelCommand paused(String why, String who, Instant now, Instant ends) {
        return new ChannelCommand(PAUSED, why, who, now, ends, mps, headroom);
    }

    /** This channel running, keeping its pace overrides. */
    public ChannelCommand running(String why, String who, Instant now) {
        return new ChannelCommand(RUNNING, why, who, now, null, mps, headroom);
    }

    /**
     * This state with other pace overrides (null: the registry's). {@code by} and {@code at} stay
     * those of the state, so a pace change does not make an automatic pause look like an operator's.
     */
    public ChannelCommand withPace(Integer newMps, Double newHeadroom) {
        return new ChannelCommand(state, reason, by, at, until, newMps, newHeadroom);
    }

    /** True when this is a pause that has ended by itself at {@code now}. */
    public boolean expired(Instant now) {
        return paused() && until != null && !until.isAfter(now);
    }

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
