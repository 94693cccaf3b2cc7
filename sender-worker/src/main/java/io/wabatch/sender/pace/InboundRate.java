package io.wabatch.sender.pace;

import io.wabatch.common.channel.Channel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many messages customers wrote to each channel's number per second over the last {@code window}: Meta counts
 * a number's inbound and outbound messages against one throughput limit, so this is the share of the limit the
 * sender must leave free ({@link AdaptivePace}). Fed from {@code wa.inbound} ({@link #record}, any thread), read by
 * the pace (its event loop); thread-safe.
 *
 * <p>A message belongs to the channel whose registry {@code phone_number_id} it names; messages to other numbers
 * are not counted (a 360dialog channel without {@code phone_number_id} sees none, see {@link #follows}). It counts at
 * the time the webhook receiver took it (else the time the API says it was sent), so a sender that starts and reads
 * the last day of {@code wa.inbound} counts only the last window's; a time ahead of this clock counts as now.
 * Counts are kept in 100 slots per window, so memory does not grow with the rate.
 */
public final class InboundRate {

    private static final int SLOTS = 100;

    private final Map<String, String> channelOfNumber = new HashMap<>();
    private final Map<String, TreeMap<Long, Long>> slots = new HashMap<>();
    private final long slotMs;
    private final Clock clock;

    /**
     * @param channels the registry's channels
     * @param window   how far back messages count (at least 100 ms)
     */
    public InboundRate(Collection<Channel> channels, Duration window, Clock clock) {
        if (window.toMillis() < SLOTS) {
            throw new IllegalArgumentException("the inbound window must be at least " + SLOTS + " ms, got " + window);
        }
        this.slotMs = window.toMillis() / SLOTS;
        this.clock = clock;
        for (Channel channel : channels) {
            String number = channel.endpoint().phoneNumberId();
            if (number != null) {
                channelOfNumber.put(number, channel.id());
                slots.put(channel.id(), new TreeMap<>());
            }
        }
    }

    /** Whether messages to the channel's number are counted: its registry entry names its {@code phone_number_id}. */
    public boolean follows(String channel) {
        return slots.containsKey(channel);
    }

    /**
     * A customer wrote to number {@code phoneNumberId} at {@code at}.
     *
     * @return whether it was counted (a known number, within the window)
     */
    public synchronized boolean record(String phoneNumberId, Instant at) {
        String channel = phoneNumberId == null ? null : channelOfNumber.get(phoneNumberId);
        if (channel == null || at == null) {
            return false;
        }
        long now = clock.millis();
        long slot = Math.min(at.toEpochMilli(), now) / slotMs;
        if (slot < oldestSlot(now)) {
            return false;
        }
        TreeMap<Long, Long> counts = slots.get(channel);
        counts.merge(slot, 1L, Long::sum);
        prune(counts, now);
        return true;
    }

    /** Messages per second customers wrote to the channel's number over the last window; 0 for a channel not followed. */
    public synchronized double perSecond(String channel) {
        TreeMap<Long, Long> counts = slots.get(channel);
        if (counts == null) {
            return 0;
        }
        long now = clock.millis();
        prune(counts, now);
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        // The slots kept cover from the oldest one's start to now: a little less than the window.
        long span = now - oldestSlot(now) * slotMs;
        return total * 1_000.0 / span;
    }

    /** The oldest slot of the window that ends now: the current slot and the 99 before it. */
    private long oldestSlot(long now) {
        return now / slotMs - (SLOTS - 1);
    }

    /** Drops the slots before the window. */
    private void prune(TreeMap<Long, Long> counts, long now) {
        counts.headMap(oldestSlot(now), false).clear();
    }
}
