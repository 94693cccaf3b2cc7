package io.wabatch.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.common.contract.InboundMessage;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.PlatformEvent;
import io.wabatch.common.contract.StatusEvent;
import io.wabatch.common.kafka.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parser over the whole corpus (see {@link Corpus}): each body yields exactly the events its entry
 * in expected.json names, each event validates against its topic's JSON Schema, and a second reading
 * gives the same dedupe keys. {@code WebhookCorpusIT} posts the same corpus to a running receiver.
 */
class WebhookCorpusTest {

    private static final Instant FIRST = Instant.parse("2026-12-07T10:00:00Z");
    private static final Instant AGAIN = Instant.parse("2026-12-07T10:05:00Z");
    private final WebhookRecords records = new WebhookRecords(TopicNames.defaults());

    static List<Corpus.Case> webhooks() {
        return Corpus.webhooks();
    }

    static List<Corpus.Case> unparseable() {
        return Corpus.unparseable();
    }

    @Test
    void everyCorpusFileIsListedWithWhatItYields() {
        assertThat(Corpus.webhooks()).extracting(Corpus.Case::name)
                .containsExactlyInAnyOrderElementsOf(Corpus.files());
        assertThat(Corpus.webhooks()).as("the corpus covers every kind of record").anySatisfy(c ->
                assertThat(c.statuses()).isPositive()).anySatisfy(c -> assertThat(c.inbound()).isPositive())
                .anySatisfy(c -> assertThat(c.platform()).isPositive()).anySatisfy(c -> assertThat(c.unparsed())
                        .isNotNull());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("webhooks")
    void eachWebhookYieldsTheEventsItCarries(Corpus.Case webhook) throws Exception {
        WebhookEvents.Parsed parsed = parse(webhook, FIRST);
        assertThat(parsed.statuses()).as("statuses").hasSize(webhook.statuses());
        assertThat(parsed.inbound()).as("inbound messages").hasSize(webhook.inbound());
        assertThat(parsed.platform()).as("platform events").hasSize(webhook.platform());
        assertThat(parsed.unreadable().isEmpty()).as("unreadable items %s", parsed.unreadable())
                .isEqualTo(webhook.unparsed() == null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("webhooks")
    void everyEventValidatesAgainstItsTopicsSchema(Corpus.Case webhook) throws Exception {
        WebhookEvents.Parsed parsed = parse(webhook, FIRST);
        parsed.statuses().forEach(s -> assertThat(EventSchemas.problems(EventSchemas.STATUS, Json.bytes(s)))
                .as("%s", s).isEmpty());
        parsed.inbound().forEach(m -> assertThat(EventSchemas.problems(EventSchemas.INBOUND, Json.bytes(m)))
                .as("%s", m).isEmpty());
        parsed.platform().forEach(p -> assertThat(EventSchemas.problems(EventSchemas.PLATFORM, Json.bytes(p)))
                .as("%s", p).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("webhooks")
    void aSecondDeliveryGivesTheSameDedupeKeysAndOneBodysEventsDiffer(Corpus.Case webhook) throws Exception {
        List<String> first = dedupeKeys(parse(webhook, FIRST));
        assertThat(dedupeKeys(parse(webhook, AGAIN))).isEqualTo(first);
        assertThat(first).doesNotHaveDuplicates().doesNotContainNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unparseable")
    void whatIsNoWebhookIsKeptRawWithItsReason(Corpus.Case body) {
        WebhookRecords.Outcome outcome = records.read(body.body(), FIRST);
        assertThat(outcome.events()).isNull();
        assertThat(outcome.unparsed().tag()).isEqualTo(body.unparsed());
        ProducerRecord<byte[], byte[]> record = outcome.records().get(0);
        assertThat(outcome.records()).hasSize(1);
        assertThat(record.topic()).isEqualTo("wa.webhooks.unparsed");
        assertThat(record.value()).isEqualTo(body.body());
        assertThat(new String(record.headers().lastHeader(WebhookRecords.REASON_HEADER).value(),
                StandardCharsets.UTF_8)).isEqualTo(body.unparsed());
    }

    @Test
    void aWebhookWithAnUnreadableItemWritesTheRestAndKeepsTheWholeBody() {
        Corpus.Case webhook = Corpus.webhooks().stream().filter(c -> c.name().equals("status-without-id.json"))
                .findFirst().orElseThrow();
        WebhookRecords.Outcome outcome = records.read(webhook.body(), FIRST);
        assertThat(outcome.records()).extracting(ProducerRecord::topic)
                .containsExactly("wa.status", "wa.webhooks.unparsed");
        assertThat(outcome.records().get(1).value()).isEqualTo(webhook.body());
        assertThat(outcome.detail()).isEqualTo("a status without 'id' or 'status'");
    }

    @Test
    void theSchemasRefuseWhatTheContractForbids() throws Exception {
        StatusEvent status = new StatusEvent("wamid.X", "sent", FIRST, "+49 151", "1", List.of(), null, null, null,
                null, FIRST, null);
        assertThat(EventSchemas.problems(EventSchemas.STATUS, Json.bytes(status))).as("recipient not digits")
                .isNotEmpty();
        InboundMessage nobody = new InboundMessage(null, "wamid.Y", FIRST, "text", "hi", "1", FIRST, null);
        assertThat(EventSchemas.problems(EventSchemas.INBOUND, Json.bytes(nobody))).as("no sender").isNotEmpty();
        PlatformEvent category = new PlatformEvent("template_category_update", "SOON", "1", "k", null, FIRST, null,
                Map.of(), null);
        assertThat(EventSchemas.problems(EventSchemas.PLATFORM, Json.bytes(category))).as("unknown category event")
                .isNotEmpty();
    }

    static WebhookEvents.Parsed parse(Corpus.Case webhook, Instant receivedAt) throws Exception {
        JsonNode root = Json.mapper().readTree(webhook.body());
        return WebhookEvents.parse(root, receivedAt);
    }

    private static List<String> dedupeKeys(WebhookEvents.Parsed parsed) {
        List<String> keys = new ArrayList<>();
        parsed.statuses().forEach(s -> keys.add(s.dedupeKey()));
        parsed.inbound().forEach(m -> keys.add(m.dedupeKey()));
        parsed.platform().forEach(p -> keys.add(p.dedupeKey()));
        return keys;
    }
}
