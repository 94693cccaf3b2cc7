package io.wabatch.sender.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Each channel's messaging tier in use: the unique recipients of business-initiated messages over
 * the rolling window (24 h). A recipient already counted goes again freely; a new one is admitted
 * while the count is under the tier, else told when the oldest recipient leaves the window. Only
 * one sender owns a channel (DESIGN §4.1), so a local count is exact; it is rebuilt from the
 * channel's accepted results when its partition is assigned ({@link #record}). Thread-safe.
 */
public final class TierBook {

    private final Duration window;
    private final Map<String, Map<String, Instant>> byChannel = new HashMap<>();

    public TierBook(Duration window) {
        this.window = window;
    }

    /**
     * Admits a business-initiated message to {@code recipient} under {@code tier} (counting it), or
     * returns when a place frees up.
     */
    public synchronized Instant admit(String channel, int tier, String recipient, Instant now) {
        Map<String, Instant> recipients = expire(channel, now);
        if (recipients.containsKey(recipient) || recipients.size() < tier) {
            recipients.put(recipient, now);
            return null;
        }
        Instant oldest = recipients.values().stream().min(Instant::compareTo).orElse(now);
        return oldest.plus(window);
    }

    /** Counts a message sent at {@code at} (a rebuild from the channel's results). */
    public synchronized void record(String channel, String recipient, Instant at) {
        byChannel.computeIfAbsent(channel, c -> new HashMap<>()).merge(recipient, at, (a, b) -> a.isAfter(b) ? a : b);
    }

    /**
     * A counted recipient's message was accepted at {@code at}: its place is held from then, which the
     * API counts from, not from the admission (earlier, before the pace and the call).
     */
    public synchronized void accepted(String channel, String recipient, Instant at) {
        Map<String, Instant> recipients = byChannel.get(channel);
        if (recipients != null) {
            recipients.computeIfPresent(recipient, (r, admitted) -> at.isAfter(admitted) ? at : admitted);
        }
    }

    /** Recipients counted now. */
    public synchronized int used(String channel, Instant now) {
        return expire(channel, now).size();
    }

    public Duration window() {
        return window;
    }

    private Map<String, Instant> expire(String channel, Instant now) {
        Map<String, Instant> recipients = byChannel.computeIfAbsent(channel, c -> new HashMap<>());
        Instant cutoff = now.minus(window);
        recipients.values().removeIf(at -> !at.isAfter(cutoff));
        return recipients;
    }
}
