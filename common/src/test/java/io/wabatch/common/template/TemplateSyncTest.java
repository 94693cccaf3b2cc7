package io.wabatch.common.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.common.contract.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * What a complete listing writes: new and changed definitions, tombstones for the templates no longer
 * listed, and the account's record last; nothing for what did not change. (Listing page by page is
 * exercised against the sandbox.)
 */
class TemplateSyncTest {

    private static final String WABA = "1234";
    private final TemplateCatalogue catalogue = new TemplateCatalogue();
    private final List<ProducerRecord<byte[], byte[]>> written = new ArrayList<>();
    private final TemplateSync sync = new TemplateSync("wa.templates", catalogue, written::add,
            Clock.fixed(Instant.parse("2026-12-07T16:00:00Z"), ZoneOffset.UTC));

    @Test
    void aFirstListingWritesEveryTemplateThenTheAccount() {
        TemplateSync.Result result = sync.write(WABA, "acme-de", List.of(offer("en_US", "APPROVED"),
                offer("de", "APPROVED"), TemplateDefinitionTest.json("{\"language\":\"en\"}")));

        assertThat(result).isEqualTo(new TemplateSync.Result(WABA, 2, 2, 0, 1));
        assertThat(keys()).containsExactly("1234/spring_sale/en_US", "1234/spring_sale/de", "1234");
        assertThat(written).allMatch(r -> r.topic().equals("wa.templates"));
        assertThat(catalogue.account(WABA)).hasValueSatisfying(a -> {
            assertThat(a.syncedAt()).isEqualTo(Instant.parse("2026-12-07T16:00:00Z"));
            assertThat(a.templates()).isEqualTo(2);
            assertThat(a.channel()).isEqualTo("acme-de");
        });
    }

    @Test
    void aListingWritesOnlyWhatChangedAndTombstonesWhatWasDeleted() {
        sync.write(WABA, "acme-de", List.of(offer("en_US", "APPROVED"), offer("de", "APPROVED")));
        written.clear();

        TemplateSync.Result result = sync.write(WABA, "acme-de", List.of(offer("en_US", "PAUSED")));

        assertThat(result).isEqualTo(new TemplateSync.Result(WABA, 1, 1, 1, 0));
        assertThat(keys()).containsExactly("1234/spring_sale/en_US", "1234/spring_sale/de", "1234");
        assertThat(written.get(1).value()).isNull();
        assertThat(catalogue.find(WABA, "spring_sale", "en_US").orElseThrow().status()).isEqualTo("PAUSED");
        assertThat(catalogue.find(WABA, "spring_sale", "de")).isEmpty();
    }

    @Test
    void anUnchangedListingWritesOnlyTheAccountsRecord() {
        sync.write(WABA, "acme-de", List.of(offer("en_US", "APPROVED")));
        written.clear();

        sync.write(WABA, "acme-de", List.of(offer("en_US", "APPROVED")));

        assertThat(keys()).containsExactly("1234");
    }

    @Test
    void anotherAccountsTemplatesAreNeverTouched() {
        sync.write("9999", "other", List.of(offer("en_US", "APPROVED")));
        written.clear();

        sync.write(WABA, "acme-de", List.of());

        assertThat(keys()).containsExactly("1234");
        assertThat(catalogue.find("9999", "spring_sale", "en_US")).isPresent();
    }

    private List<String> keys() {
        return written.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
    }

    private static JsonNode offer(String language, String status) {
        return TemplateDefinitionTest.json(new String(Json.bytes(TemplateFixtures.imageOffer("spring_sale", language,
                status, 2)), StandardCharsets.UTF_8));
    }
}
