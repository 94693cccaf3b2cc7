package io.wabatch.common.control;

import io.wabatch.common.contract.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The desired state of a campaign, kept in the compacted {@code wa.control} topic under the key
 * {@code campaign:<id>}: the latest record wins, so every sender instance and every restart sees it.
 * A paused campaign's jobs wait in the deferred topics without being lost; a cancelled campaign's
 * jobs that were not sent yet end with {@code cancelled} results. Cancelling is final.
 *
 * @param state     {@code running}, {@code paused} or {@code cancelled}
 * @param reason    why, in words (an operator's note, or the auto-pause's cause)
 * @param by        who set it: {@code operator}, {@code publish} or {@code auto-pause}
 * @param at        when
 * @param published how many recipients {@code wabatch campaign publish} published, or null
 * @param policy    the campaign's messaging rules (category, quiet hours), or null for the defaults
 */
public record CampaignCommand(String state, String reason, String by, Instant at, Long published,
                              CampaignPolicy policy) {

    /** A state without a published count or policy (operator commands start from the latest record instead). */
    public CampaignCommand(String state, String reason, String by, Instant at, Long published) {
        this(state, reason, by, at, published, null);
    }

    public static final String RUNNING = "running";
    public static final String PAUSED = "paused";
    public static final String CANCELLED = "cancelled";
    private static final String PREFIX = "campaign:";

    /** The state a campaign has before any command: running. */
    public static CampaignCommand initial() {
        return new CampaignCommand(RUNNING, null, null, null, null);
    }

    /** This campaign in {@code newState}, keeping its published count and policy. */
    public CampaignCommand to(String newState, String why, String who, Instant now) {
        return new CampaignCommand(newState, why, who, now, published, policy);
    }

    /** The campaign's policy, the defaults when none was set. */
    public CampaignPolicy effectivePolicy() {
        return policy != null ? policy : CampaignPolicy.DEFAULT;
    }

    public boolean paused() {
        return PAUSED.equals(state);
    }

    public boolean cancelled() {
        return CANCELLED.equals(state);
    }

    /** The record that sets {@code campaign}'s state. */
    public ProducerRecord<byte[], byte[]> toRecord(String topic, String campaign) {
        return new ProducerRecord<>(topic, key(campaign), Json.bytes(this));
    }

    /** The control key of a campaign. */
    public static byte[] key(String campaign) {
        return (PREFIX + campaign).getBytes(StandardCharsets.UTF_8);
    }

    /** The campaign a control key names, or null when the key is about something else. */
    public static String campaignOf(byte[] key) {
        String text = key == null ? "" : new String(key, StandardCharsets.UTF_8);
        return text.startsWith(PREFIX) ? text.substring(PREFIX.length()) : null;
    }

    /** Reads a command; null for a tombstone or an unreadable value. */
    public static CampaignCommand read(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            CampaignCommand command = Json.read(value, CampaignCommand.class);
            return command.state() == null ? null : command;
        } catch (IOException e) {
            return null;
        }
    }
}
