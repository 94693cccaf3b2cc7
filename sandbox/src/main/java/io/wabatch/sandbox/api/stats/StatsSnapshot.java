package io.wabatch.sandbox.api.stats;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * One number's counters at one moment.
 *
 * @param accepted        messages answered with 200
 * @param uploads         media uploads answered with 200
 * @param duplicates      accepted messages whose {@code biz_opaque_callback_data} was accepted before
 * @param duplicateBodies accepted messages whose (recipient, canonical body) was accepted before
 * @param rejectedByCode  error code → how many requests were answered with it
 * @param perSecond       accepted per epoch second, first to last accepted second, zeros included
 */
public record StatsSnapshot(long accepted, long uploads, long duplicates, long duplicateBodies,
        Map<Integer, Long> rejectedByCode, List<Second> perSecond) {

    /** Canonical constructor: copies the collections. */
    public StatsSnapshot {
        rejectedByCode = Map.copyOf(rejectedByCode);
        perSecond = List.copyOf(perSecond);
    }

    /**
     * Messages accepted in one second.
     *
     * @param second   epoch second
     * @param accepted messages accepted in it
     */
    public record Second(long second, long accepted) {
    }

    /** The largest number of messages accepted in any one second (0 when none). */
    public long peakPerSecond() {
        return perSecond.stream().mapToLong(Second::accepted).max().orElse(0);
    }

    /** The JSON served under {@code numbers.<id>} of {@code GET /_sandbox/stats}. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("accepted", accepted);
        node.put("uploads", uploads);
        node.put("duplicates", duplicates);
        node.put("duplicate_bodies", duplicateBodies);
        ObjectNode codes = node.putObject("rejected_by_code");
        rejectedByCode.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> codes.put(String.valueOf(e.getKey()), e.getValue()));
        var seconds = node.putArray("per_second");
        perSecond.forEach(s -> seconds.addObject().put("second", s.second()).put("accepted", s.accepted()));
        return node;
    }
}
