package io.wabatch.sender.defer;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabatch.common.kafka.DeferTiers;
import io.wabatch.common.kafka.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeferralsTest {

    private static final TopicNames TOPICS = TopicNames.withPrefix("t").withDeferTiers(DeferTiers.parse("1m,10m,1h"));
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void aDeferredJobKeepsKeyValueAndForeignHeadersAndCarriesItsDueTimeReasonAndAttempts() {
        ConsumerRecord<byte[], byte[]> source = ready(new RecordHeaders().add("wabatch.kind", bytes("x")));
        ProducerRecord<byte[], byte[]> deferred = new Deferrals(TOPICS).defer(source, NOW, NOW.plus(Duration.ofMinutes(25)),
                "pair_limit", 4, 3, 2);

        assertThat(deferred.topic()).isEqualTo("t.jobs.deferred.10m");
        assertThat(deferred.key()).isEqualTo(source.key());
        assertThat(deferred.value()).isEqualTo(source.value());
        assertThat(deferred.headers().lastHeader("wabatch.kind").value()).isEqualTo(bytes("x"));
        Deferrals.Carried carried = Deferrals.carried(deferred.headers());
        assertThat(carried).isEqualTo(new Deferrals.Carried(NOW.plus(Duration.ofMinutes(25)), "pair_limit", 4, 3, 2));
    }

    @Test
    void deferringAgainReplacesTheEarlierDeferralsHeaders() {
        Deferrals deferrals = new Deferrals(TOPICS);
        ProducerRecord<byte[], byte[]> first = deferrals.defer(ready(new RecordHeaders()), NOW, NOW.plusSeconds(7200),
                "retry", 1, 0, 0);
        ProducerRecord<byte[], byte[]> second = deferrals.defer(ready(first.headers()), NOW, NOW.plusSeconds(90),
                "not_before", 2, 0, 0);

        assertThat(second.topic()).isEqualTo("t.jobs.deferred.1m");
        assertThat(second.headers().headers(Deferrals.DUE)).hasSize(1);
        assertThat(Deferrals.carried(second.headers()).reason()).isEqualTo("not_before");
        assertThat(Deferrals.carried(second.headers()).attempts()).isEqualTo(2);
        assertThat(second.headers().headers(Deferrals.THROTTLED)).hasSize(1);
    }

    @Test
    void aFreshJobOrUnreadableHeadersCarryNothing() {
        assertThat(Deferrals.carried(new RecordHeaders())).isEqualTo(Deferrals.Carried.NONE);
        assertThat(Deferrals.carried(new RecordHeaders().add(Deferrals.DUE, bytes("tomorrow"))))
                .isEqualTo(Deferrals.Carried.NONE);
    }

    @Test
    void onlyWaitsBeyondTheShortestTierAreDeferred() {
        Deferrals deferrals = new Deferrals(TOPICS);
        assertThat(deferrals.defers(NOW, NOW.plusSeconds(60))).isFalse();
        assertThat(deferrals.defers(NOW, NOW.plusSeconds(61))).isTrue();
    }

    private static ConsumerRecord<byte[], byte[]> ready(org.apache.kafka.common.header.Headers headers) {
        return new ConsumerRecord<>("t.jobs.ready", 0, 5, 0L, TimestampType.CREATE_TIME, 0, 0, bytes("c/4915"),
                bytes("{\"v\":1}"), headers, java.util.Optional.empty());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
