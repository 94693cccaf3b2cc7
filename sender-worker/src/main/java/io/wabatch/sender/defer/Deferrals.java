package io.wabatch.sender.defer;

import io.wabatch.common.kafka.DeferTiers;
import io.wabatch.common.kafka.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Moves a ready job that must wait long out of the in-flight window (DESIGN §4.6): the job, as it
 * was read, goes to a {@linkplain DeferTiers defer tier} topic with headers saying when it is due,
 * why it waits and how many API calls it has had, and comes back to the ready topic through the
 * {@link DeferredRelay} when due. The headers travel with it, so a retry keeps counting its attempts
 * across the wait.
 */
public final class Deferrals {

    /** Header: the instant (ISO-8601) before which the job must not be sent. */
    public static final String DUE = "wabatch.due";
    /** Header: why it waits ({@code not_before}, {@code retry}, {@code pair_limit}). */
    public static final String REASON = "wabatch.defer.reason";
    /** Header: API calls made for the job so far. */
    public static final String ATTEMPTS = "wabatch.attempts";
    /** Header: 131056 (pair rate limit) answers the job has had so far. */
    public static final String PAIR_HITS = "wabatch.pair.hits";
    /** Header: rate-limit answers (130429, 131056, 429) among the attempts; they do not count against the limit. */
    public static final String THROTTLED = "wabatch.throttled";

    private static final Set<String> OWN = Set.of(DUE, REASON, ATTEMPTS, PAIR_HITS, THROTTLED);

    /** What a ready record carries from an earlier deferral; {@link #NONE} for a fresh job. */
    public record Carried(Instant due, String reason, int attempts, int pairHits, int throttled) {
        public static final Carried NONE = new Carried(null, null, 0, 0, 0);
    }

    private final TopicNames topics;

    public Deferrals(TopicNames topics) {
        this.topics = topics;
    }

    /** True when waiting until {@code due} is too long for memory. */
    public boolean defers(Instant now, Instant due) {
        return topics.deferTiers().defers(Duration.between(now, due));
    }

    /** The shortest tier: waits up to it stay in memory. */
    public Duration threshold() {
        return topics.deferTiers().threshold();
    }

    /**
     * The record that defers {@code source} (a ready job) until {@code due}: same key and value, its
     * headers plus the deferral's, to the tier for the wait.
     */
    public ProducerRecord<byte[], byte[]> defer(ConsumerRecord<byte[], byte[]> source, Instant now, Instant due,
                                                String reason, int attempts, int pairHits, int throttled) {
        Headers headers = new RecordHeaders();
        for (Header header : source.headers()) {
            if (!OWN.contains(header.key())) {
                headers.add(header);
            }
        }
        headers.add(DUE, utf8(due.toString()));
        headers.add(REASON, utf8(reason));
        headers.add(ATTEMPTS, utf8(Integer.toString(attempts)));
        headers.add(PAIR_HITS, utf8(Integer.toString(pairHits)));
        headers.add(THROTTLED, utf8(Integer.toString(throttled)));
        Duration tier = topics.deferTiers().tierFor(Duration.between(now, due));
        return new ProducerRecord<>(DeferTiers.topic(topics.deferred(), tier), null, source.key(), source.value(),
                headers);
    }

    /** Reads the deferral headers of a record; {@link Carried#NONE} when it has none or they are unreadable. */
    public static Carried carried(Headers headers) {
        Header due = headers.lastHeader(DUE);
        if (due == null) {
            return Carried.NONE;
        }
        try {
            Header reason = headers.lastHeader(REASON);
            return new Carried(Instant.parse(text(due)), reason == null ? null : text(reason),
                    number(headers, ATTEMPTS), number(headers, PAIR_HITS), number(headers, THROTTLED));
        } catch (DateTimeParseException | NumberFormatException e) {
            return Carried.NONE;
        }
    }

    private static int number(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null ? 0 : Math.max(0, Integer.parseInt(text(header)));
    }

    private static String text(Header header) {
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
