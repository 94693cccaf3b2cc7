package io.wabatch.sandbox.api.stats;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the sandbox saw for one number: accepted messages (in all and by endpoint), customers' messages to it, uploads,
 * rejections by code,
 * injected faults by kind, media that reached {@code /messages} by link, and duplicates counted two ways
 * (same callback token; same person and canonical body).
 * Thread-safe: every method holds the instance lock, requests may come from several event loops.
 * Memory grows with accepted messages (one record, one body hash, one token each) until reset.
 */
public final class NumberStats {

    private long accepted;
    private long uploads;
    private long duplicates;
    private long duplicateBodies;
    private long linkMedia;
    private final Map<Integer, Long> rejectedByCode = new TreeMap<>();
    private final Map<String, Long> acceptedByEndpoint = new TreeMap<>();
    private final Map<String, Long> faultsByKind = new TreeMap<>();
    private final Map<String, Map<String, Long>> pricing = new TreeMap<>();
    private final TreeMap<Long, Long> perSecond = new TreeMap<>();
    private final TreeMap<Long, Long> inboundPerSecond = new TreeMap<>();
    private long inbound;
    private final Set<String> callbacks = new HashSet<>();
    private final Set<String> bodyKeys = new HashSet<>();
    private final List<AcceptedMessage> messages = new ArrayList<>();

    /**
     * Records an accepted message without link media.
     *
     * @param message the record
     * @param bodyKey {@link CanonicalJson#key} of its body and recipient
     */
    public void accepted(AcceptedMessage message, String bodyKey) {
        accepted(message, bodyKey, 0);
    }

    /**
     * Records an accepted message.
     *
     * @param message   the record
     * @param bodyKey   {@link CanonicalJson#key} of its body and recipient ({@link AcceptedMessage#recipientKey()})
     * @param linkMedia media objects its body sent by {@code link}
     */
    public synchronized void accepted(AcceptedMessage message, String bodyKey, int linkMedia) {
        accepted++;
        acceptedByEndpoint.merge(message.endpoint(), 1L, Long::sum);
        this.linkMedia += linkMedia;
        messages.add(message);
        perSecond.merge(Math.floorDiv(message.receivedAtMs(), 1000L), 1L, Long::sum);
        if (message.callback() != null && !callbacks.add(message.callback())) {
            duplicates++;
        }
        if (!bodyKeys.add(bodyKey)) {
            duplicateBodies++;
        }
    }

    /**
     * Records what an accepted message costs, once, when the sandbox decided it is delivered (not failed): the truth
     * a test compares wabatch's cost accounting with.
     */
    public synchronized void priced(Pricing price) {
        pricing.computeIfAbsent(price.category(), c -> new TreeMap<>()).merge(price.type(), 1L, Long::sum);
    }

    /**
     * Records a customer's message to the number, counted against its throughput limit at {@code atMs}
     * (epoch milliseconds).
     */
    public synchronized void inbound(long atMs) {
        inbound++;
        inboundPerSecond.merge(Math.floorDiv(atMs, 1000L), 1L, Long::sum);
    }

    /** Records a successful upload. */
    public synchronized void uploaded() {
        uploads++;
    }

    /** Records an API error answered for this number. */
    public synchronized void rejected(int code) {
        rejectedByCode.merge(code, 1L, Long::sum);
    }

    /**
     * Records an injected fault ({@code http500}, {@code timeout}, {@code reset}, {@code storm}, or one
     * of the first three with {@code _after_accept}). Faults never count in {@code rejectedByCode}.
     */
    public synchronized void fault(String kind) {
        faultsByKind.merge(kind, 1L, Long::sum);
    }

    /** The accepted messages, oldest first (a copy). */
    public synchronized List<AcceptedMessage> messages() {
        return List.copyOf(messages);
    }

    /**
     * A consistent copy of the counters; {@code perSecond} spans the first to the last second with an accepted
     * message, zeros included, each with the customers' messages counted in it.
     */
    public synchronized StatsSnapshot snapshot() {
        List<StatsSnapshot.Second> seconds = new ArrayList<>();
        if (!perSecond.isEmpty()) {
            for (long s = perSecond.firstKey(); s <= perSecond.lastKey(); s++) {
                seconds.add(new StatsSnapshot.Second(s, perSecond.getOrDefault(s, 0L),
                        inboundPerSecond.getOrDefault(s, 0L)));
            }
        }
        Map<String, Long> byEndpoint = new TreeMap<>(Map.of(AcceptedMessage.MESSAGES, 0L,
                AcceptedMessage.MARKETING_MESSAGES, 0L));
        byEndpoint.putAll(acceptedByEndpoint);
        return new StatsSnapshot(accepted, uploads, duplicates, duplicateBodies,
                new LinkedHashMap<>(rejectedByCode), seconds, new LinkedHashMap<>(faultsByKind), linkMedia,
                byEndpoint, pricing, inbound);
    }

    /** Forgets everything. */
    public synchronized void reset() {
        accepted = 0;
        uploads = 0;
        duplicates = 0;
        duplicateBodies = 0;
        linkMedia = 0;
        rejectedByCode.clear();
        acceptedByEndpoint.clear();
        faultsByKind.clear();
        pricing.clear();
        perSecond.clear();
        inboundPerSecond.clear();
        inbound = 0;
        callbacks.clear();
        bodyKeys.clear();
        messages.clear();
    }
}
