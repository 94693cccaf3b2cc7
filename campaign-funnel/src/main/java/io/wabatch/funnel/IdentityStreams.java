package io.wabatch.funnel;

import static io.wabatch.funnel.FunnelSerdes.read;

import io.wabatch.common.contract.Bsuids;
import io.wabatch.common.contract.Identity;
import io.wabatch.common.contract.InboundMessage;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.StatusEvent;
import io.wabatch.common.kafka.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * One person, two addresses (whatsapp-api-facts §10): a {@code sent} status whose {@code recipient_id}
 * and {@code recipient_user_id} are both given, or a message with {@code from} and {@code from_user_id},
 * joins the number and the business-scoped user ID in the compacted {@code wa.identities} (key: the
 * BSUID). Every sender follows it, so an opt-out given under one applies to the other. A {@code system}
 * message of a changed number or BSUID links the new BSUID to the person's number, or to their previous
 * BSUID when no number is shared.
 */
final class IdentityStreams {

    private IdentityStreams() {
    }

    static void add(TopicNames topics, KStream<byte[], byte[]> statuses, KStream<byte[], byte[]> inbound, Clock clock) {
        Produced<byte[], byte[]> out = Produced.with(Serdes.ByteArray(), Serdes.ByteArray());
        statuses.flatMap((key, value) -> {
            StatusEvent status = read(value, StatusEvent.class);
            // One status per message is enough (each of sent, delivered and read carries both): the first.
            return status == null || !StatusEvent.SENT.equals(status.status()) ? List.<KeyValue<byte[], byte[]>>of()
                    : link(status.recipientUserId(), status.recipient(), "status", clock);
        }, Named.as("status-identities")).to(topics.identities(), out.withName("status-identities-out"));
        inbound.flatMap((key, value) -> {
            InboundMessage message = read(value, InboundMessage.class);
            if (message == null) {
                return List.<KeyValue<byte[], byte[]>>of();
            }
            return message.system() != null ? change(message.system(), message.from(), clock)
                    : link(message.fromUserId(), message.from(), "inbound", clock);
        }, Named.as("inbound-identities")).to(topics.identities(), out.withName("inbound-identities-out"));
    }

    /**
     * A user's change of number or of business-scoped user ID ({@code system} messages): the new BSUID is
     * the same person as the new number, or, when no number is shared ({@code user_changed_user_id}), as the
     * previous BSUID, which senders follow to the number behind it; the previous BSUID then names the new
     * number too. So an opt-out, window or budget known under the old addresses stays with the person.
     */
    static List<KeyValue<byte[], byte[]>> change(InboundMessage.SystemChange change, String from, Clock clock) {
        List<KeyValue<byte[], byte[]>> links = new java.util.ArrayList<>();
        String number = change.newPhone();
        if (number != null) {
            links.addAll(link(change.userId(), number, "system:" + change.type(), clock));
            links.addAll(link(change.previousUserId(), number, "system:" + change.type(), clock));
        } else if (change.previousUserId() != null && Bsuids.isBsuid(change.previousUserId())) {
            links.addAll(link(change.userId(), change.previousUserId(), "system:" + change.type(), clock));
        } else if (from != null) {
            links.addAll(link(change.userId(), from, "system:" + change.type(), clock));
        }
        return links;
    }

    private static List<KeyValue<byte[], byte[]>> link(String userId, String phone, String source, Clock clock) {
        if (userId == null || phone == null || phone.isBlank() || !Bsuids.isBsuid(userId)) {
            return List.of();
        }
        return List.of(KeyValue.pair(userId.getBytes(StandardCharsets.UTF_8),
                Json.bytes(new Identity(userId, phone, source, clock.instant()))));
    }
}
