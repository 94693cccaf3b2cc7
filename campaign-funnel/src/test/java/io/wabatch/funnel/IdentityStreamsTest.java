package io.wabatch.funnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabatch.common.contract.Identity;
import io.wabatch.common.contract.InboundMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

/** A user's change of number or of business-scoped user ID keeps them one person in wa.identities. */
class IdentityStreamsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T19:00:00Z"), ZoneOffset.UTC);
    private static final String OLD = "US.13491208655302741918";
    private static final String NEW = "US.99991208655302741000";

    @Test
    void aChangedNumberLinksTheNewAndThePreviousBsuidToTheNewNumber() throws Exception {
        Map<String, Identity> links = links(IdentityStreams.change(new InboundMessage.SystemChange(
                InboundMessage.SystemChange.USER_CHANGED_NUMBER, "12195555358", NEW, null, OLD, null),
                "16505551234", CLOCK));

        assertThat(links).containsOnlyKeys(NEW, OLD);
        assertThat(links.values()).allSatisfy(i -> {
            assertThat(i.phone()).isEqualTo("12195555358");
            assertThat(i.source()).isEqualTo("system:user_changed_number");
        });
    }

    @Test
    void aChangedBsuidWithoutANumberLinksTheNewBsuidToThePreviousOne() throws Exception {
        Map<String, Identity> links = links(IdentityStreams.change(new InboundMessage.SystemChange(
                InboundMessage.SystemChange.USER_CHANGED_USER_ID, null, NEW, null, OLD, null), null, CLOCK));

        assertThat(links).containsOnlyKeys(NEW);
        assertThat(links.get(NEW).phone()).as("the previous BSUID, which leads to the number").isEqualTo(OLD);
    }

    private static Map<String, Identity> links(List<KeyValue<byte[], byte[]>> records) throws Exception {
        Map<String, Identity> links = new HashMap<>();
        for (KeyValue<byte[], byte[]> record : records) {
            links.put(new String(record.key, StandardCharsets.UTF_8), Identity.decode(record.value));
        }
        return links;
    }
}
