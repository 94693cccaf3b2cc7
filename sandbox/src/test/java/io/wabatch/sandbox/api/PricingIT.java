package io.wabatch.sandbox.api;

import static io.wabatch.sandbox.api.PlatformEventsIT.orderUpdate;
import static io.wabatch.sandbox.api.PlatformEventsIT.template;
import static io.wabatch.sandbox.api.TestSandbox.META_ID;
import static io.wabatch.sandbox.api.TestSandbox.META_TOKEN;
import static io.wabatch.sandbox.api.TestSandbox.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.sandbox.api.RawHttp.Response;
import io.wabatch.sandbox.api.stats.StatsSnapshot;
import io.wabatch.sandbox.api.templates.TemplateCatalogue;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Per-message pricing over real HTTP: each status of a delivered message carries Meta's {@code pricing}, and the
 * stats hold the truth, charged and free per category, once per message however often its statuses are posted.
 */
// Alone: in CI a post to the test's receiver once waited 30 s while other classes ran beside it (not
// reproduced alone); until its cause is found, the class runs by itself.
@org.junit.jupiter.api.parallel.Isolated
@Timeout(60)
class PricingIT {

    private static TestSandbox sandbox;
    private static SignedReceiver receiver;

    @BeforeAll
    static void start() {
        sandbox = TestSandbox.start();
        receiver = new SignedReceiver("pricing-secret");
    }

    @AfterAll
    static void stop() {
        sandbox.close();
        receiver.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
        sandbox.server.setTemplates(META_ID, TemplateCatalogue.sample());
        sandbox.server.setMarketingMessagesOnboarded(META_ID, true);
        receiver.clear();
        sandbox.server.setWebhooks(receiver.settings().replace("\"step\":1", "\"step\":1,\"copies\":3"));
    }

    @Test
    void mixedCategoriesAndFreeEntryPointsArePricedAsMetaDoesAndCountedOnce() {
        sandbox.server.inbound(META_ID, "+4915100000002", "where is my order?");
        sandbox.server.entryPoint(META_ID, "+4915100000005");
        Map<String, String> expected = new LinkedHashMap<>();

        expected.put(id(sandbox.sendMeta(template("+4915100000001", "hello_world"))), "marketing/regular");
        expected.put(id(sandbox.sendMeta(orderUpdate("+4915100000002"))), "utility/free_customer_service");
        expected.put(id(sandbox.sendMeta(orderUpdate("+4915100000003"))), "utility/regular");
        expected.put(id(sandbox.sendMeta(text("+4915100000002", "it ships today"))), "service/free_customer_service");
        expected.put(id(sandbox.sendMeta(template("+4915100000005", "hello_world"))), "marketing/free_entry_point");
        expected.put(id(sandbox.sendMeta(loginCode("+4915100000004"))), "authentication/regular");
        expected.put(id(sandbox.http.send("POST", sandbox.server.metaBaseUrl() + "/" + META_ID
                + "/marketing_messages", "Authorization", "Bearer " + META_TOKEN,
                template("+4915100000006", "hello_world"))), "marketing_lite/regular");

        expected.forEach((wamid, pricing) -> {
            JsonNode delivered = delivered(wamid);
            assertThat(delivered.path("pricing").path("category").asText() + "/"
                    + delivered.path("pricing").path("type").asText()).as(wamid).isEqualTo(pricing);
            assertThat(delivered.path("pricing").path("pricing_model").asText()).isEqualTo("PMP");
            assertThat(delivered.path("pricing").path("billable").asBoolean()).isEqualTo(pricing.endsWith("regular"));
        });
        StatsSnapshot stats = sandbox.server.stats(META_ID);
        assertThat(stats.charged("marketing")).isEqualTo(1);
        assertThat(stats.free("marketing")).isEqualTo(1);
        assertThat(stats.priced("marketing", "free_entry_point")).isEqualTo(1);
        assertThat(stats.charged("utility")).isEqualTo(1);
        assertThat(stats.free("utility")).isEqualTo(1);
        assertThat(stats.free("service")).isEqualTo(1);
        assertThat(stats.charged("authentication")).isEqualTo(1);
        assertThat(stats.charged("marketing_lite")).isEqualTo(1);
        assertThat(stats.charged()).as("charged once per message, not per copy").isEqualTo(4);
        JsonNode json = sandbox.server.stats().path("numbers").path(META_ID).path("pricing");
        assertThat(json.path("utility").path("charged").asLong()).isEqualTo(1);
        assertThat(json.path("utility").path("free").asLong()).isEqualTo(1);
        assertThat(json.path("utility").path("free_customer_service").asLong()).isEqualTo(1);
    }

    @Test
    void aFailedMessagesSentStatusIsPricedButTheTruthDoesNotChargeIt() {
        sandbox.server.setWebhooks(receiver.settings().replace("\"step\":1",
                "\"step\":1,\"fail_recipients\":{\"4915100000009\":131026}"));

        String failed = id(sandbox.sendMeta(template("+4915100000009", "hello_world")));

        await("the failed status").atMost(Duration.ofSeconds(5)).until(() -> !receiver.statuses(s ->
                s.path("id").asText().equals(failed) && s.path("status").asText().equals("failed")).isEmpty());
        await("the sent status").atMost(Duration.ofSeconds(5)).until(() -> !receiver.statuses(s ->
                s.path("id").asText().equals(failed) && s.path("status").asText().equals("sent")).isEmpty());
        assertThat(receiver.statuses(s -> s.path("id").asText().equals(failed))).allSatisfy(s -> assertThat(
                s.has("pricing")).as(s.toString()).isEqualTo(s.path("status").asText().equals("sent")));
        assertThat(sandbox.server.stats(META_ID).charged()).isZero();
        assertThat(sandbox.server.messages(META_ID).get(0).pricing().category()).isEqualTo("marketing");
    }

    @Test
    void withoutWebhooksEveryAcceptedMessageCountsAsDelivered() {
        sandbox.server.setWebhooks("null");

        sandbox.sendMeta(template("+4915100000001", "hello_world"));
        sandbox.sendMeta(text("+4915100000001", "a service message"));

        assertThat(sandbox.server.stats(META_ID).charged("marketing")).isEqualTo(1);
        assertThat(sandbox.server.stats(META_ID).free("service")).isEqualTo(1);
    }

    static String loginCode(String to) {
        return TestSandbox.strictJson("{'messaging_product':'whatsapp','to':'" + to + "','type':'template',"
                + "'template':{'name':'login_code','language':{'code':'en_US'},'components':[{'type':'body',"
                + "'parameters':[{'type':'text','text':'123456'}]}]}}");
    }

    private static String id(Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().path("messages").path(0).path("id").asText();
    }

    private static JsonNode delivered(String wamid) {
        await("the delivered status of " + wamid).atMost(Duration.ofSeconds(5)).until(() -> !receiver.statuses(s ->
                s.path("id").asText().equals(wamid) && s.path("status").asText().equals("delivered")).isEmpty());
        return receiver.statuses(s -> s.path("id").asText().equals(wamid) && s.path("status").asText()
                .equals("delivered")).get(0);
    }
}
