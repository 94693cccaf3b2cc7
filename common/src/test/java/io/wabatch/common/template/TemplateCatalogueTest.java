package io.wabatch.common.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabatch.common.contract.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The catalogue as the topic's records make it, in log order, tombstones included. */
class TemplateCatalogueTest {

    private static final String WABA = "1234";
    private final TemplateCatalogue catalogue = new TemplateCatalogue();

    @Test
    void anAccountIsKnownOnlyOnceItsListingsRecordIsApplied() {
        put("1234/spring_sale/en_US", Json.bytes(TemplateFixtures.imageOffer("spring_sale", "en_US", "APPROVED", 2)));

        assertThat(catalogue.account(WABA)).isEmpty();
        assertThat(catalogue.lookup(WABA)).isEmpty();
        assertThat(catalogue.find(WABA, "spring_sale", "en_US")).isPresent();

        put(WABA, bytes("{\"waba_id\":\"1234\",\"synced_at\":\"2026-12-07T16:00:00Z\",\"templates\":1,\"channel\":\"c\"}"));

        assertThat(catalogue.account(WABA)).hasValueSatisfying(a -> {
            assertThat(a.templates()).isEqualTo(1);
            assertThat(a.channel()).isEqualTo("c");
        });
        assertThat(catalogue.lookup(WABA).orElseThrow().languages("spring_sale")).containsExactly("en_US");
        assertThat(catalogue.accounts()).containsExactly(WABA);
    }

    @Test
    void tombstonesRemoveATemplateAndForgetAnAccount() {
        put("1234/spring_sale/en_US", Json.bytes(TemplateFixtures.imageOffer("spring_sale", "en_US", "APPROVED", 2)));
        put("1234/spring_sale/de", Json.bytes(TemplateFixtures.imageOffer("spring_sale", "de", "APPROVED", 2)));
        put(WABA, bytes("{\"synced_at\":\"2026-12-07T16:00:00Z\"}"));

        put("1234/spring_sale/de", null);
        assertThat(catalogue.lookup(WABA).orElseThrow().languages("spring_sale")).containsExactly("en_US");

        put(WABA, null);
        assertThat(catalogue.account(WABA)).isEmpty();
    }

    @Test
    void unreadableOrMisplacedRecordsHoldNothing() {
        put("1234/x/en", bytes("not json"));
        put("1234/other_name/en_US", Json.bytes(TemplateFixtures.imageOffer("spring_sale", "en_US", "APPROVED", 2)));
        put(WABA, bytes("{\"synced_at\":\"yesterday\"}"));
        catalogue.apply(null, bytes("{}"));

        assertThat(catalogue.size()).isZero();
        assertThat(catalogue.account(WABA)).isEmpty();
    }

    private void put(String key, byte[] value) {
        catalogue.apply(bytes(key), value);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
