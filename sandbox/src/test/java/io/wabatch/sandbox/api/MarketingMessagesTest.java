package io.wabatch.sandbox.api;

import static io.wabatch.sandbox.api.TestSandbox.D360_ID;
import static io.wabatch.sandbox.api.TestSandbox.D360_KEY;
import static io.wabatch.sandbox.api.TestSandbox.META_ID;
import static io.wabatch.sandbox.api.TestSandbox.META_TOKEN;
import static io.wabatch.sandbox.api.TestSandbox.json;
import static io.wabatch.sandbox.api.TestSandbox.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.sandbox.api.RawHttp.Response;
import io.wabatch.sandbox.api.stats.AcceptedMessage;
import io.wabatch.sandbox.api.stats.StatsSnapshot;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Marketing Messages API: {@code POST /{phone-number-id}/marketing_messages} and 360dialog's twin. */
@Timeout(60)
class MarketingMessagesTest {

    private static final String ALICE = "+4915112345678";
    private static TestSandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = TestSandbox.start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
        sandbox.server.setMarketingMessagesOnboarded(META_ID, true);
        sandbox.server.setMarketingMessagesOnboarded(D360_ID, true);
    }

    static String template(String to, String name) {
        return json("{'messaging_product':'whatsapp','recipient_type':'individual','to':'" + to + "','type':"
                + "'template','template':{'name':'" + name + "','language':{'code':'en_US'}}}");
    }

    private Response marketingMeta(String body) {
        return sandbox.http.send("POST", sandbox.server.metaBaseUrl() + "/" + META_ID + "/marketing_messages",
                "Authorization", "Bearer " + META_TOKEN, body);
    }

    private Response marketing360(String body) {
        return sandbox.http.send("POST", sandbox.server.baseUrl() + "/marketing_messages", "D360-API-KEY", D360_KEY,
                body);
    }

    @Test
    void aTemplateIsAcceptedWithMessageStatusOnBothProviders() {
        for (Response response : new Response[] {marketingMeta(template(ALICE, "hello_world")),
            marketing360(template(ALICE, "hello_world"))}) {
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            JsonNode answer = response.json();
            assertThat(answer.get("messaging_product").asText()).isEqualTo("whatsapp");
            assertThat(answer.at("/contacts/0/wa_id").asText()).isEqualTo("4915112345678");
            assertThat(answer.at("/messages/0/id").asText()).startsWith("wamid.");
            assertThat(answer.at("/messages/0/message_status").asText()).isEqualTo("accepted");
        }
        assertThat(sandbox.server.messages(META_ID).get(0).endpoint()).isEqualTo(AcceptedMessage.MARKETING_MESSAGES);
    }

    @Test
    void messagesKeepsItsAnswerWithoutMessageStatus() {
        Response response = sandbox.sendMeta(template(ALICE, "hello_world"));

        assertThat(response.json().at("/messages/0").has("message_status")).isFalse();
    }

    @Test
    void aMessageThatIsNoTemplateIs100() {
        Response response = marketingMeta(text(ALICE, "hi"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo(100);
        assertThat(response.message()).isEqualTo("(#100) Invalid parameter");
        assertThat(response.details()).isEqualTo("Message must be a template message.");
        assertThat(sandbox.server.stats(META_ID).accepted()).isZero();
    }

    @Test
    void theBodyRulesOfMessagesApply() {
        Response response = marketingMeta(json("{'messaging_product':'whatsapp','to':'12','type':'template',"
                + "'template':{'name':'x','language':{'code':'en'}}}"));

        assertThat(response.code()).isEqualTo(131009);
    }

    @Test
    void aNumberThatHasNotAcceptedTheTermsIsRefused() {
        sandbox.server.setMarketingMessagesOnboarded(META_ID, false);

        Response response = marketingMeta(template(ALICE, "hello_world"));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.code()).isEqualTo(200);
        assertThat(response.message()).isEqualTo(
                "(#200) You must accept the Marketing Messages Lite API terms to use the API.");
        assertThat(sandbox.sendMeta(template(ALICE, "hello_world")).status()).as("/messages is unaffected")
                .isEqualTo(200);
        assertThat(sandbox.server.stats(META_ID).rejectedByCode()).containsEntry(200, 1L);
    }

    @Test
    void onboardingIsAConfigAdminAndJavaSetting() {
        assertThat(SandboxConfig.defaults().numbers()).noneMatch(SandboxNumber::marketingMessagesOnboarded);
        sandbox.server.setMarketingMessagesOnboarded(META_ID, false);

        Response put = sandbox.admin("PUT", "/_sandbox/numbers/" + META_ID,
                "{\"marketing_messages_onboarded\": true}");
        Response bad = sandbox.admin("PUT", "/_sandbox/numbers/" + META_ID,
                "{\"marketing_messages_onboarded\": \"yes\"}");

        assertThat(put.status()).isEqualTo(200);
        assertThat(put.json().get("marketing_messages_onboarded").asBoolean()).isTrue();
        assertThat(bad.status()).isEqualTo(400);
        assertThat(sandbox.server.marketingMessagesOnboarded(META_ID)).isTrue();
        assertThat(sandbox.server.stats().at("/numbers/" + META_ID + "/marketing_messages_onboarded").asBoolean())
                .isTrue();
        assertThat(marketingMeta(template(ALICE, "hello_world")).status()).isEqualTo(200);
    }

    @Test
    void statsCountAcceptedMessagesPerEndpoint() {
        marketingMeta(template("4915100000001", "a"));
        marketingMeta(template("4915100000002", "b"));
        sandbox.sendMeta(template("4915100000003", "c"));
        marketingMeta(text("4915100000004", "refused"));

        StatsSnapshot stats = sandbox.server.stats(META_ID);
        assertThat(stats.accepted()).isEqualTo(3);
        assertThat(stats.accepted(AcceptedMessage.MARKETING_MESSAGES)).isEqualTo(2);
        assertThat(stats.accepted(AcceptedMessage.MESSAGES)).isEqualTo(1);
        JsonNode json = sandbox.admin("GET", "/_sandbox/stats", null).json().at("/numbers/" + META_ID
                + "/accepted_by_endpoint");
        assertThat(json.get("marketing_messages").asLong()).isEqualTo(2);
        assertThat(json.get("messages").asLong()).isEqualTo(1);
        assertThat(sandbox.server.stats(D360_ID).acceptedByEndpoint())
                .containsEntry("messages", 0L).containsEntry("marketing_messages", 0L);
    }

    @Test
    void paceDuplicatesAndThePairLimitAreSharedWithMessages() {
        sandbox.server.setPairLimit(PairLimit.of(Duration.ofSeconds(30), 1));
        String body = template(ALICE, "hello_world");

        assertThat(sandbox.sendMeta(body).status()).isEqualTo(200);
        assertThat(marketingMeta(body).code()).as("same pair").isEqualTo(131056);
        sandbox.server.setPairLimit(PairLimit.disabled());
        assertThat(marketingMeta(body).status()).isEqualTo(200);
        assertThat(sandbox.server.stats(META_ID).duplicateBodies()).isEqualTo(1);
        sandbox.server.setMps(META_ID, 1);
        marketingMeta(template("4915100000009", "pace"));
        marketingMeta(template("4915100000008", "pace"));
        assertThat(sandbox.server.stats(META_ID).peakPerSecond()).isLessThanOrEqualTo(2);
        assertThat(sandbox.server.stats(META_ID).rejectedByCode()).containsKey(130429);
    }

    @Test
    void aBsuidRecipientWorksToo() {
        String bsuid = sandbox.server.bsuid(META_ID, ALICE);

        Response response = marketingMeta(json("{'messaging_product':'whatsapp','recipient':'" + bsuid
                + "','type':'template','template':{'name':'hello_world','language':{'code':'en_US'}}}"));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().at("/contacts/0/user_id").asText()).isEqualTo(bsuid);
        assertThat(response.json().at("/contacts/0").has("wa_id")).isFalse();
    }
}
