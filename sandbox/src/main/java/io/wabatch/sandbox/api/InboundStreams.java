package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Steady streams of customers writing to numbers: {@code perSecond} messages a second to a number, evenly spaced
 * (the n-th due {@code n / perSecond} s after the stream started), each written as {@link SandboxState#inbound}
 * does (it counts against the number's throughput limit and posts the inbound webhook). The customers are a
 * pool of {@value #CUSTOMERS} per number ({@code +4917}, two digits of the number's place, seven of the
 * customer's; campaign recipients in tests are {@code +4915…}), so memory stays bounded however long a
 * stream runs. One Vert.x timer drives every stream; thread-safe.
 */
final class InboundStreams {

    /** Distinct customers of one number's stream. */
    static final int CUSTOMERS = 100_000;
    /** The most messages a second one stream writes. */
    static final int MAX_PER_SECOND = 10_000;
    private static final long TICK_MS = 5;

    /** Writes one customer's message to a number. */
    interface Writer {
        void write(String numberId, String from, String text);
    }

    private final Vertx vertx;
    private final Writer writer;
    private final Map<String, Stream> streams = new LinkedHashMap<>();
    private final Map<String, Integer> places = new LinkedHashMap<>();
    private long timer = -1;

    InboundStreams(Vertx vertx, Writer writer) {
        this.vertx = vertx;
        this.writer = writer;
    }

    /** Starts (or replaces) the number's stream at {@code perSecond}; 0 stops it. */
    synchronized void set(String numberId, int perSecond) {
        if (perSecond < 0 || perSecond > MAX_PER_SECOND) {
            throw new IllegalArgumentException("per_second must lie between 0 (stop) and " + MAX_PER_SECOND
                    + ", got " + perSecond);
        }
        int place = places.computeIfAbsent(numberId, n -> places.size());
        Stream before = streams.remove(numberId);
        if (perSecond > 0) {
            streams.put(numberId, new Stream(perSecond, place, System.nanoTime(), before == null ? 0 : before.next));
        }
        if (streams.isEmpty() && timer != -1) {
            vertx.cancelTimer(timer);
            timer = -1;
        } else if (!streams.isEmpty() && timer == -1) {
            timer = vertx.setPeriodic(TICK_MS, t -> tick());
        }
    }

    /** The number's stream rate, 0 when none runs. */
    synchronized int perSecond(String numberId) {
        Stream stream = streams.get(numberId);
        return stream == null ? 0 : stream.perSecond;
    }

    /** Stops every stream. */
    synchronized void stopAll() {
        streams.clear();
        if (timer != -1) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    /** {@code [{"number", "per_second", "written"}]}: the running streams, {@code written} since each started. */
    synchronized ArrayNode toJson() {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        streams.forEach((number, s) -> array.addObject().put("number", number).put("per_second", s.perSecond)
                .put("written", s.written));
        return array;
    }

    private void tick() {
        Map<String, Integer> due = new LinkedHashMap<>();
        synchronized (this) {
            long now = System.nanoTime();
            streams.forEach((number, stream) -> {
                long target = (now - stream.startNanos) * stream.perSecond / 1_000_000_000L;
                if (target > stream.written) {
                    due.put(number, (int) (target - stream.written));
                }
            });
        }
        // Written outside the lock: a write posts a webhook and may take a moment.
        due.forEach((number, count) -> {
            for (int i = 0; i < count; i++) {
                String from = next(number);
                if (from == null) {
                    return; // stopped meanwhile
                }
                writer.write(number, from, "Question about my order");
            }
        });
    }

    /** The next customer of the number's stream, counted as written; null when the stream stopped. */
    private synchronized String next(String number) {
        Stream stream = streams.get(number);
        if (stream == null) {
            return null;
        }
        stream.written++;
        long customer = stream.next++ % CUSTOMERS;
        return String.format("+4917%02d%07d", stream.place % 100, customer);
    }

    private static final class Stream {
        final int perSecond;
        final int place;
        final long startNanos;
        long written;
        /** The next customer (carried over when the rate changes, so a customer is not reused early). */
        long next;

        Stream(int perSecond, int place, long startNanos, long next) {
            this.perSecond = perSecond;
            this.place = place;
            this.startNanos = startNanos;
            this.next = next;
        }
    }
}
