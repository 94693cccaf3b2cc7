package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Storms in progress: per number (or for every number) an error code answered to every
 * {@code /messages} request until a deadline. Expired storms are dropped when looked at. Thread-safe.
 */
final class Storms {

    private static final String ALL = "*";

    private final Map<String, Active> active = new ConcurrentHashMap<>();

    /** A storm until {@code untilNanos} (monotonic clock). */
    record Active(String number, long untilNanos, int code, int httpStatus) {
    }

    /** Starts {@code storm} now, replacing a storm on the same number (or on all numbers). */
    void start(Storm storm) {
        String key = storm.number() == null ? ALL : storm.number();
        active.put(key, new Active(storm.number(), System.nanoTime() + storm.duration().toNanos(), storm.code(),
                storm.httpStatus()));
    }

    /** Ends every storm. */
    void stopAll() {
        active.clear();
    }

    /** The storm hitting {@code numberId} now (its own before an all-numbers one), or {@code null}. */
    Active current(String numberId) {
        long now = System.nanoTime();
        Active own = live(numberId, now);
        return own != null ? own : live(ALL, now);
    }

    /** {@code [{"number": id or null, "remaining_ms", "code", "http_status"}]} of the live storms. */
    ArrayNode toJson() {
        long now = System.nanoTime();
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        active.keySet().forEach(key -> {
            Active storm = live(key, now);
            if (storm != null) {
                array.addObject().put("number", storm.number()).put("remaining_ms", (storm.untilNanos() - now) / 1_000_000)
                        .put("code", storm.code()).put("http_status", storm.httpStatus());
            }
        });
        return array;
    }

    private Active live(String key, long now) {
        Active storm = active.get(key);
        if (storm != null && storm.untilNanos() - now <= 0) {
            active.remove(key, storm);
            return null;
        }
        return storm;
    }
}
