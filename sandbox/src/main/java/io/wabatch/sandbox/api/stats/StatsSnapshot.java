package io.wabatch.sandbox.api.stats;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One number's counters at one moment.
 *
 * @param accepted        messages answered with 200
 * @param uploads         media uploads answered with 200
 * @param duplicates      accepted messages whose {@code biz_opaque_callback_data} was accepted before
 * @param duplicateBodies accepted messages whose (recipient, canonical body) was accepted before
 * @param rejectedByCode  error code → how many requests were answered with it
 * @param perSecond       accepted per epoch second, first to last accepted second, zeros included
 * @param faultsByKind    injected fault kind ({@code http500}, {@code timeout}, {@code reset},
 *                        {@code storm}, {@code http500_after_accept}, ...) → how many requests got it
 * @param linkMedia       media objects sent by {@code link} in accepted messages (media messages,
 *                        template parameters, carousel cards, interactive headers); media by
 *                        {@code id} do not count
 * @param acceptedByEndpoint endpoint ({@code messages}, {@code marketing_messages}) → messages it accepted
 * @param pricing         the truth of what the number's messages cost: pricing category ({@code marketing},
 *                        {@code utility}, ...) → pricing type ({@code regular} = charged, {@code free_customer_service},
 *                        {@code free_entry_point}) → messages; counts accepted messages the sandbox did not decide to
 *                        fail (a {@code failed} status is never charged), once each however often its statuses are
 *                        posted
 * @param inbound         customers' messages to the number (they count against its throughput limit like sends)
 */
public record StatsSnapshot(long accepted, long uploads, long duplicates, long duplicateBodies,
        Map<Integer, Long> rejectedByCode, List<Second> perSecond, Map<String, Long> faultsByKind,
        long linkMedia, Map<String, Long> acceptedByEndpoint, Map<String, Map<String, Long>> pricing, long inbound) {

    /** The code of the sandbox's refusal for the messaging limit (see SANDBOX.md, Messaging limits). */
    public static final int TIER_CODE = 131048;

    /** Canonical constructor: copies the collections. */
    public StatsSnapshot {
        rejectedByCode = Map.copyOf(rejectedByCode);
        perSecond = List.copyOf(perSecond);
        faultsByKind = faultsByKind == null ? Map.of() : Map.copyOf(faultsByKind);
        acceptedByEndpoint = acceptedByEndpoint == null ? Map.of() : Map.copyOf(acceptedByEndpoint);
        Map<String, Map<String, Long>> copy = new TreeMap<>();
        if (pricing != null) {
            pricing.forEach((category, types) -> copy.put(category, Map.copyOf(types)));
        }
        pricing = Collections.unmodifiableMap(copy);
    }

    /** A snapshot without customers' messages (the fifth version's shape). */
    public StatsSnapshot(long accepted, long uploads, long duplicates, long duplicateBodies,
            Map<Integer, Long> rejectedByCode, List<Second> perSecond, Map<String, Long> faultsByKind,
            long linkMedia, Map<String, Long> acceptedByEndpoint, Map<String, Map<String, Long>> pricing) {
        this(accepted, uploads, duplicates, duplicateBodies, rejectedByCode, perSecond, faultsByKind, linkMedia,
                acceptedByEndpoint, pricing, 0);
    }

    /** A snapshot without pricing (the fourth version's shape). */
    public StatsSnapshot(long accepted, long uploads, long duplicates, long duplicateBodies,
            Map<Integer, Long> rejectedByCode, List<Second> perSecond, Map<String, Long> faultsByKind,
            long linkMedia, Map<String, Long> acceptedByEndpoint) {
        this(accepted, uploads, duplicates, duplicateBodies, rejectedByCode, perSecond, faultsByKind, linkMedia,
                acceptedByEndpoint, Map.of());
    }

    /** A snapshot without the split by endpoint (the third version's shape). */
    public StatsSnapshot(long accepted, long uploads, long duplicates, long duplicateBodies,
            Map<Integer, Long> rejectedByCode, List<Second> perSecond, Map<String, Long> faultsByKind,
            long linkMedia) {
        this(accepted, uploads, duplicates, duplicateBodies, rejectedByCode, perSecond, faultsByKind, linkMedia,
                Map.of());
    }

    /** A snapshot without link media (the second version's shape). */
    public StatsSnapshot(long accepted, long uploads, long duplicates, long duplicateBodies,
            Map<Integer, Long> rejectedByCode, List<Second> perSecond, Map<String, Long> faultsByKind) {
        this(accepted, uploads, duplicates, duplicateBodies, rejectedByCode, perSecond, faultsByKind, 0, Map.of());
    }

    /** A snapshot without faults or link media (the first version's shape). */
    public StatsSnapshot(long accepted, long uploads, long duplicates, long duplicateBodies,
            Map<Integer, Long> rejectedByCode, List<Second> perSecond) {
        this(accepted, uploads, duplicates, duplicateBodies, rejectedByCode, perSecond, Map.of(), 0, Map.of());
    }

    /** Messages of pricing {@code category} with pricing {@code type} (0 when none). */
    public long priced(String category, String type) {
        return pricing.getOrDefault(category, Map.of()).getOrDefault(type, 0L);
    }

    /** Charged messages (type {@code regular}) of pricing {@code category}. */
    public long charged(String category) {
        return priced(category, Pricing.REGULAR);
    }

    /** Free messages (any type but {@code regular}) of pricing {@code category}. */
    public long free(String category) {
        return pricing.getOrDefault(category, Map.of()).entrySet().stream()
                .filter(e -> !e.getKey().equals(Pricing.REGULAR)).mapToLong(Map.Entry::getValue).sum();
    }

    /** Charged messages of every category. */
    public long charged() {
        return pricing.keySet().stream().mapToLong(this::charged).sum();
    }

    /**
     * How many messages {@code endpoint} accepted: {@code "messages"} or {@code "marketing_messages"}
     * ({@link AcceptedMessage#MESSAGES}, {@link AcceptedMessage#MARKETING_MESSAGES}); 0 when none.
     */
    public long accepted(String endpoint) {
        return acceptedByEndpoint.getOrDefault(endpoint, 0L);
    }

    /**
     * Messages refused because the number's business portfolio reached its messaging limit (code
     * {@value #TIER_CODE} in {@link #rejectedByCode}; storms of that code are not counted).
     */
    public long tierViolations() {
        return rejectedByCode.getOrDefault(TIER_CODE, 0L);
    }

    /** How many injected faults of {@code kind} were answered (0 when none). */
    public long faults(String kind) {
        return faultsByKind.getOrDefault(kind, 0L);
    }

    /**
     * Messages accepted in one second, and customers' messages to the number in it.
     *
     * @param second   epoch second
     * @param accepted messages accepted in it
     * @param inbound  customers' messages counted in it against the number's throughput limit
     */
    public record Second(long second, long accepted, long inbound) {

        /** A second without customers' messages. */
        public Second(long second, long accepted) {
            this(second, accepted, 0);
        }

        /** What the number's throughput limit counted in this second: sends and customers' messages. */
        public long counted() {
            return accepted + inbound;
        }
    }

    /** The largest number of messages accepted in any one second (0 when none). */
    public long peakPerSecond() {
        return perSecond.stream().mapToLong(Second::accepted).max().orElse(0);
    }

    /**
     * The largest number of messages the throughput limit counted in any one second of {@link #perSecond}: sends
     * and customers' messages together (0 when none).
     */
    public long peakCountedPerSecond() {
        return perSecond.stream().mapToLong(Second::counted).max().orElse(0);
    }

    /** The JSON served under {@code numbers.<id>} of {@code GET /_sandbox/stats}. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("accepted", accepted);
        ObjectNode byEndpoint = node.putObject("accepted_by_endpoint");
        acceptedByEndpoint.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> byEndpoint.put(e.getKey(), e.getValue()));
        node.put("uploads", uploads);
        node.put("duplicates", duplicates);
        node.put("duplicate_bodies", duplicateBodies);
        node.put("link_media", linkMedia);
        node.put("inbound", inbound);
        node.put("tier_violations", tierViolations());
        ObjectNode codes = node.putObject("rejected_by_code");
        rejectedByCode.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> codes.put(String.valueOf(e.getKey()), e.getValue()));
        ObjectNode faults = node.putObject("faults_by_kind");
        faultsByKind.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> faults.put(e.getKey(), e.getValue()));
        ObjectNode priced = node.putObject("pricing");
        pricing.forEach((category, types) -> {
            ObjectNode byType = priced.putObject(category);
            byType.put("charged", charged(category)).put("free", free(category));
            types.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> byType.put(e.getKey(), e.getValue()));
        });
        var seconds = node.putArray("per_second");
        perSecond.forEach(s -> seconds.addObject().put("second", s.second()).put("accepted", s.accepted())
                .put("inbound", s.inbound()));
        return node;
    }
}
