package io.wabatch.funnel;

import static io.wabatch.funnel.FunnelSerdes.read;

import io.wabatch.common.contract.InboundMessage;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.OptOut;
import io.wabatch.common.contract.StatusEvent;
import io.wabatch.common.kafka.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Opt-outs to the compacted {@code wa.optouts}: a customer's message that is one of the opt-out
 * keywords (STOP, ...) or a 131050 status (user stopped marketing messages) opts them out; an
 * opt-in keyword (START) opts them back in (a tombstone).
 */
final class OptOutStreams {

    private static final int USER_STOPPED_MARKETING = 131050;

    private OptOutStreams() {
    }

    static void add(TopicNames topics, KStream<byte[], byte[]> statuses, KStream<byte[], byte[]> inbound,
                    Set<String> optOutKeywords, Set<String> optInKeywords, Clock clock) {
        Produced<byte[], byte[]> out = Produced.with(Serdes.ByteArray(), Serdes.ByteArray());
        inbound.flatMap((key, value) -> {
                    InboundMessage message = read(value, InboundMessage.class);
                    if (message == null || message.text() == null || message.from() == null) {
                        return List.<KeyValue<byte[], byte[]>>of();
                    }
                    String word = message.text().strip().toUpperCase(Locale.ROOT);
                    byte[] phone = message.from().getBytes(StandardCharsets.UTF_8);
                    if (optOutKeywords.contains(word)) {
                        return List.of(KeyValue.pair(phone, Json.bytes(new OptOut(message.from(), "inbound:" + word,
                                clock.instant()))));
                    }
                    return optInKeywords.contains(word) ? List.of(KeyValue.<byte[], byte[]>pair(phone, null))
                            : List.<KeyValue<byte[], byte[]>>of();
                }, Named.as("inbound-opt-outs")).to(topics.optOuts(), out.withName("inbound-opt-outs-out"));
        statuses.flatMap((key, value) -> {
            StatusEvent status = read(value, StatusEvent.class);
            // A user with a username may be known by business-scoped user ID only: the opt-out is keyed by it.
            String customer = status == null ? null
                    : status.recipient() != null ? status.recipient() : status.recipientUserId();
            if (customer == null || !Integer.valueOf(USER_STOPPED_MARKETING).equals(status.errorCode())) {
                return List.<KeyValue<byte[], byte[]>>of();
            }
            return List.of(KeyValue.pair(customer.getBytes(StandardCharsets.UTF_8),
                    Json.bytes(new OptOut(customer, "status:131050", clock.instant()))));
        }, Named.as("status-opt-outs")).to(topics.optOuts(), out.withName("status-opt-outs-out"));
    }
}
