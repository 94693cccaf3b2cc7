package io.wabatch.sandbox.api;

import static io.wabatch.sandbox.api.TestSandbox.META_ID;
import static io.wabatch.sandbox.api.TestSandbox.META_TOKEN;
import static io.wabatch.sandbox.api.TestSandbox.strictJson;
import static io.wabatch.sandbox.api.TestSandbox.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.sandbox.api.RawHttp.Response;
import io.wabatch.sandbox.api.templates.TemplateCatalogue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Platform events over real HTTP: {@code POST /_sandbox/events} (and {@code sandbox.events()}) posts each field signed
 * to a receiver on loopback that checks the signature itself, answers with the receiver's status, and the sandbox
 * then acts as the API would (template status, throughput upgrade, restrictions, opt-outs, limits, onboarding).
 */
// Alone: in CI a post to the test's receiver once waited 30 s while other classes ran beside it (not
// reproduced alone); until its cause is found, the class runs by itself.
@org.junit.jupiter.api.parallel.Isolated
@Timeout(60)
class PlatformEventsIT {

    static final String SECRET = "events-secret";
    static final String WABA = META_ID;
    static final String ALICE = "+49 151 12345678";
    static final String BOB = "+49 151 22222222";

    private static TestSandbox sandbox;
    private static SignedReceiver receiver;

    @BeforeAll
    static void start() {
        sandbox = TestSandbox.start();
        receiver = new SignedReceiver(SECRET);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
        receiver.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
        sandbox.server.setTemplates(WABA, TemplateCatalogue.sample());
        sandbox.server.setPolicy("null");
        sandbox.server.setMarketingMessagesOnboarded(META_ID, false);
        receiver.clear();
        sandbox.server.setWebhooks(receiver.settings());
    }

    static String template(String to, String name) {
        return strictJson("{'messaging_product':'whatsapp','to':'" + to + "','type':'template','template':{'name':'"
                + name + "','language':{'code':'en_US'}}}");
    }

    private Response event(String body) {
        return sandbox.admin("POST", "/_sandbox/events", strictJson(body));
    }

    @Test
    void everyFieldArrivesSignedUnderTheAccountWithItsDocumentedShape() {
        SandboxEvents events = sandbox.server.events();
        List<PostedEvent> posted = List.of(
                events.userPreference(META_ID, ALICE, "stop"),
                events.templateStatus(WABA, "summer_sale", "en_US", "FLAGGED"),
                events.templateCategoryImpending(WABA, "order_update", "en_US", "MARKETING",
                        Instant.parse("2026-12-01T00:00:00Z")),
                events.templateQuality(WABA, "summer_sale", "en_US", "GREEN", "RED"),
                events.phoneNumberQuality(META_ID, "DOWNGRADE", "TIER_2K"),
                sandbox.server.postEvent("account_update", JsonNodeFactory.instance.objectNode()
                        .put("waba_id", WABA).put("event", "ACCOUNT_VIOLATION").put("violation_type", "SCAM")),
                events.userChangedNumber(META_ID, ALICE, BOB),
                events.userChangedUserId(META_ID, ALICE));

        assertThat(posted).allSatisfy(p -> assertThat(p.status()).as(p.field()).isEqualTo(200));
        List<SignedReceiver.Post> received = events();
        assertThat(received).hasSize(posted.size());
        assertThat(received).allSatisfy(p -> {
            assertThat(p.signatureValid()).as(p.field()).isTrue();
            assertThat(p.entryId()).isEqualTo(WABA);
            assertThat(p.json().path("object").asText()).isEqualTo("whatsapp_business_account");
        });
        for (int i = 0; i < posted.size(); i++) {
            assertThat(new String(received.get(i).raw(), java.nio.charset.StandardCharsets.UTF_8))
                    .as("exactly the body answered: " + posted.get(i).field())
                    .isEqualTo(posted.get(i).body().toString());
        }
        JsonNode preference = received.get(0).value().path("user_preferences").path(0);
        assertThat(preference.path("wa_id").asText()).isEqualTo("4915112345678");
        assertThat(preference.path("user_id").asText()).isEqualTo(sandbox.server.bsuid(META_ID, ALICE));
        assertThat(received.get(1).value().path("message_template_id").asLong()).isEqualTo(920070352646140L);
        assertThat(received.get(1).value().path("message_template_category").asText()).isEqualTo("MARKETING");
        assertThat(received.get(2).value().path("correct_category").asText()).isEqualTo("MARKETING");
        assertThat(received.get(2).value().path("category_update_timestamp").asLong()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z").getEpochSecond());
        assertThat(received.get(4).value().path("display_phone_number").asText()).isEqualTo("15550783881");
        assertThat(received.get(4).value().has("phone_number_id")).isFalse();
        JsonNode changed = received.get(6).value().path("messages").path(0);
        assertThat(changed.path("from").asText()).isEqualTo("4915112345678");
        assertThat(changed.path("system").path("wa_id").asText()).isEqualTo("4915122222222");
        assertThat(changed.path("system").path("user_id").asText()).isEqualTo(sandbox.server.bsuid(META_ID, BOB));
        assertThat(changed.path("system").path("previous_user_id").asText())
                .isEqualTo(sandbox.server.bsuid(META_ID, ALICE));
        JsonNode userId = received.get(7).value().path("messages").path(0);
        assertThat(userId.has("from")).isFalse();
        assertThat(userId.path("system").path("type").asText()).isEqualTo("user_changed_user_id");
        assertThat(userId.path("system").path("user_id").asText()).startsWith("DE.")
                .isNotEqualTo(userId.path("system").path("previous_user_id").asText());
    }

    @Test
    void theReceiversAnswerIsReturnedAndTheEventIsNotRetried() {
        receiver.answer(503);

        PostedEvent posted = sandbox.server.events().templateQuality(WABA, "summer_sale", "en_US", "GREEN", "YELLOW");

        assertThat(posted.status()).isEqualTo(503);
        assertThat(posted.answeredOk()).isFalse();
        await("a retry that must not come").during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> events().size() == 1);
        assertThat(sandbox.server.webhooks().path("events_posted").asLong()).isEqualTo(1);
        assertThat(sandbox.server.webhooks().path("events_answered_ok").asLong()).isZero();
    }

    @Test
    void aRawValueIsPostedAsIsOverHttp() {
        Response answer = event("{'field':'messages','waba_id':'" + WABA + "','value':{'statuses':[{'id':'x',"
                + "'timestamp':'TIMESTAMP'}],'odd':[1,'two',null]}}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("status").asInt()).isEqualTo(200);
        assertThat(answer.json().path("posted").asBoolean()).isTrue();
        SignedReceiver.Post post = receiver.posts().stream().filter(p -> p.value().has("odd")).findFirst()
                .orElseThrow();
        assertThat(post.signatureValid()).isTrue();
        assertThat(post.value().path("odd").toString()).isEqualTo("[1,\"two\",null]");
        assertThat(post.value().path("statuses").path(0).path("timestamp").asText()).isEqualTo("TIMESTAMP");
    }

    @Test
    void badRequestsAreRefusedNamingTheProblemAndPostNothing() {
        Response unknownKey = event("{'field':'user_preferences','number':'" + META_ID + "','user':'" + ALICE
                + "','colour':'red'}");
        Response unknownNumber = event("{'field':'user_preferences','number':'999','user':'" + ALICE + "'}");
        Response noField = event("{'number':'" + META_ID + "'}");
        Response noAccount = event("{'field':'account_update','event':'ACCOUNT_DELETED'}");
        Response badPreference = event("{'field':'user_preferences','number':'" + META_ID + "','user':'" + ALICE
                + "','preference':'maybe'}");

        assertThat(unknownKey.status()).isEqualTo(400);
        assertThat(unknownKey.json().path("error").asText()).contains("colour");
        assertThat(unknownNumber.status()).isEqualTo(400);
        assertThat(unknownNumber.json().path("error").asText()).contains("999");
        assertThat(noField.status()).isEqualTo(400);
        assertThat(noAccount.status()).isEqualTo(400);
        assertThat(badPreference.status()).isEqualTo(400);
        assertThat(events()).isEmpty();
        assertThat(sandbox.server.settings().path("platform").path("opted_out").asInt()).isZero();
    }

    @Test
    void aPausedTemplateFails132015AndADisabledOne132016UntilApproved() {
        assertThat(sandbox.sendMeta(template(ALICE, "hello_world")).status()).isEqualTo(200);

        Response paused = event("{'field':'message_template_status_update','waba_id':'" + WABA
                + "','name':'hello_world','language':'en_US','event':'PAUSED'}");
        Response whilePaused = sandbox.sendMeta(template(ALICE, "hello_world"));
        sandbox.server.events().templateStatus(WABA, "hello_world", "en_US", "DISABLED");
        Response whileDisabled = sandbox.sendMeta(template(ALICE, "hello_world"));
        PostedEvent approved = sandbox.server.events().templateStatus(WABA, "hello_world", "en_US", "APPROVED");
        Response afterwards = sandbox.sendMeta(template(ALICE, "hello_world"));

        assertThat(paused.json().path("effects").path(0).asText()).contains("hello_world", "PAUSED");
        assertThat(paused.json().path("body").path("entry").path(0).path("changes").path(0).path("value")
                .path("other_info").path("title").asText()).isEqualTo("FIRST_PAUSE");
        assertThat(whilePaused.code()).isEqualTo(132015);
        assertThat(whileDisabled.code()).isEqualTo(132016);
        assertThat(afterwards.status()).as(afterwards.body()).isEqualTo(200);
        assertThat(approved.value().path("event").asText()).isEqualTo("APPROVED");
        assertThat(sandbox.server.templates(WABA).find("hello_world", "en_US").orElseThrow().status())
                .isEqualTo("APPROVED");
    }

    @Test
    void aCompletedCategoryChangeRepricesTheTemplate() {
        sandbox.server.inbound(META_ID, ALICE, "hi");
        String before = sandbox.sendMeta(template(ALICE, "hello_world")).json().path("messages").path(0)
                .path("id").asText();

        PostedEvent changed = sandbox.server.events().templateCategoryChanged(WABA, "hello_world", "en_US", "UTILITY");
        String after = sandbox.sendMeta(template(ALICE, "hello_world")).json().path("messages").path(0)
                .path("id").asText();

        assertThat(changed.value().path("previous_category").asText()).isEqualTo("MARKETING");
        assertThat(changed.value().path("new_category").asText()).isEqualTo("UTILITY");
        assertThat(pricingOf(before).path("category").asText()).isEqualTo("marketing");
        assertThat(pricingOf(after).path("category").asText()).isEqualTo("utility");
        assertThat(pricingOf(after).path("type").asText()).isEqualTo("free_customer_service");
    }

    @Test
    void aThroughputUpgradeAnswers131057ForItsWindowThenTakes1000PerSecond() {
        assertThat(sandbox.server.mps(META_ID)).isEqualTo(80);

        PostedEvent upgrade = sandbox.server.events().throughputUpgrade(META_ID, Duration.ofMillis(400));
        Response during = sandbox.sendMeta(text(ALICE, "during the upgrade"));

        assertThat(upgrade.value().path("event").asText()).isEqualTo("THROUGHPUT_UPGRADE");
        assertThat(upgrade.value().path("current_limit").asText()).isEqualTo("TIER_UNLIMITED");
        assertThat(during.code()).isEqualTo(131057);
        await("the upgrade to apply").atMost(Duration.ofSeconds(5))
                .until(() -> sandbox.server.mps(META_ID) == 1000);
        int refused = 0;
        for (int i = 0; i < 120; i++) {
            refused += sandbox.sendMeta(text("+4915100" + (100000 + i), "hi")).status() == 200 ? 0 : 1;
        }
        assertThat(refused).isZero();
        assertThat(sandbox.server.stats(META_ID).rejectedByCode()).containsEntry(131057, 1L)
                .doesNotContainKey(130429);
    }

    @Test
    void aRestrictedAccountRefusesBusinessInitiatedMessagesWith368UntilTheRestrictionExpires() {
        sandbox.server.inbound(META_ID, BOB, "hello");

        PostedEvent restricted = sandbox.server.events().accountRestriction(WABA, "RESTRICTED_BIZ_INITIATED_MESSAGING",
                Instant.now().plusMillis(1500));
        Response toAlice = sandbox.sendMeta(template(ALICE, "hello_world"));
        Response toBob = sandbox.sendMeta(template(BOB, "hello_world"));

        JsonNode info = restricted.value().path("restriction_info").path(0);
        assertThat(info.path("restriction_type").asText()).isEqualTo("RESTRICTED_BIZ_INITIATED_MESSAGING");
        assertThat(info.path("expiration").isIntegralNumber()).isTrue();
        assertThat(toAlice.status()).isEqualTo(403);
        assertThat(toAlice.code()).isEqualTo(368);
        assertThat(toBob.status()).as("an answer inside Bob's window").isEqualTo(200);
        await("the restriction to expire").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> sandbox.sendMeta(template(ALICE, "hello_world")).status() == 200);
    }

    @Test
    void aDisabledAccountRefusesEverySendUntilReinstated() {
        sandbox.server.inbound(META_ID, BOB, "hello");

        sandbox.server.events().accountDisabled(WABA, "DISABLE");
        Response disabled = sandbox.sendMeta(text(BOB, "inside the window"));
        sandbox.server.events().accountDisabled(WABA, "REINSTATE");

        assertThat(disabled.code()).isEqualTo(368);
        assertThat(sandbox.sendMeta(text(BOB, "again")).status()).isEqualTo(200);
    }

    @Test
    void afterAStopMarketingFailsWith131050ByWebhookWhileUtilityStillGoesUntilResume() {
        sandbox.server.events().userPreference(META_ID, ALICE, "stop");

        Response marketing = sandbox.sendMeta(template(ALICE, "hello_world"));
        Response utility = sandbox.sendMeta(orderUpdate(ALICE));
        String stopped = marketing.json().path("messages").path(0).path("id").asText();
        String delivered = utility.json().path("messages").path(0).path("id").asText();

        assertThat(marketing.status()).as("accepted: Meta reports 131050 by webhook").isEqualTo(200);
        await("the failed status").atMost(Duration.ofSeconds(5)).until(() -> !statuses(stopped, "failed").isEmpty());
        assertThat(statuses(stopped, "failed").get(0).path("errors").path(0).path("code").asInt()).isEqualTo(131050);
        assertThat(statuses(stopped, "failed").get(0).has("pricing")).isFalse();
        await("the utility message delivered").atMost(Duration.ofSeconds(5))
                .until(() -> !statuses(delivered, "delivered").isEmpty());
        assertThat(sandbox.server.stats(META_ID).charged("marketing")).isZero();
        assertThat(sandbox.server.stats(META_ID).charged("utility")).isEqualTo(1);

        sandbox.server.events().userPreference(META_ID, "4915112345678", "resume");
        String resumed = sandbox.sendMeta(template(ALICE, "hello_world")).json().path("messages").path(0)
                .path("id").asText();
        await("delivered after resume").atMost(Duration.ofSeconds(5))
                .until(() -> !statuses(resumed, "delivered").isEmpty());
        assertThat(sandbox.server.stats(META_ID).charged("marketing")).isEqualTo(1);
    }

    @Test
    void marketingTermsSignedOnboardsTheAccountsNumbers() {
        String url = sandbox.server.metaBaseUrl() + "/" + META_ID + "/marketing_messages";
        assertThat(sandbox.http.send("POST", url, "Authorization", "Bearer " + META_TOKEN,
                template(ALICE, "hello_world")).status()).isEqualTo(403);

        PostedEvent signed = sandbox.server.events().marketingTermsSigned(WABA);

        assertThat(signed.value().path("waba_info").path("waba_id").asText()).isEqualTo(WABA);
        assertThat(sandbox.server.marketingMessagesOnboarded(META_ID)).isTrue();
        assertThat(sandbox.http.send("POST", url, "Authorization", "Bearer " + META_TOKEN,
                template(ALICE, "hello_world")).status()).isEqualTo(200);
    }

    @Test
    void aCapabilityUpdateBecomesTheAccountsMessagingLimit() {
        sandbox.server.events().businessCapability(WABA, 1);
        Response first = sandbox.sendMeta(template(ALICE, "hello_world"));
        Response second = sandbox.sendMeta(template(BOB, "hello_world"));
        sandbox.server.events().businessCapability(WABA, -1);
        Response unlimited = sandbox.sendMeta(template(BOB, "hello_world"));

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.code()).isEqualTo(131048);
        assertThat(unlimited.status()).isEqualTo(200);
    }

    @Test
    void withWebhooksOffTheSandboxStillActsAndPostsNothing() {
        sandbox.server.setWebhooks("null");

        PostedEvent paused = sandbox.server.events().templateStatus(WABA, "hello_world", "en_US", "PAUSED");

        assertThat(paused.status()).isNull();
        assertThat(paused.effects()).hasSize(1);
        assertThat(sandbox.sendMeta(template(ALICE, "hello_world")).code()).isEqualTo(132015);
        assertThat(events()).isEmpty();
    }

    @Test
    void aNumberLevelEventNeedsTheNumber() {
        ObjectNode params = JsonNodeFactory.instance.objectNode().put("waba_id", WABA).put("user", ALICE);

        assertThatThrownBy(() -> sandbox.server.postEvent("user_preferences", params))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("number");
    }

    static String orderUpdate(String to) {
        return strictJson("{'messaging_product':'whatsapp','to':'" + to + "','type':'template','template':{"
                + "'name':'order_update','language':{'code':'en_US'},'components':[{'type':'header','parameters':[{"
                + "'type':'text','parameter_name':'order_id','text':'A-1'}]},{'type':'body','parameters':[{'type':"
                + "'text','parameter_name':'first_name','text':'Ann'},{'type':'text','parameter_name':'order_id',"
                + "'text':'A-1'}]}]}}");
    }

    /** The posts but status webhooks (a late status of an earlier test's message may still arrive). */
    private static List<SignedReceiver.Post> events() {
        return receiver.posts().stream().filter(p -> !p.value().has("statuses")).toList();
    }

    private static List<JsonNode> statuses(String wamid, String status) {
        return receiver.statuses(s -> s.path("id").asText().equals(wamid) && s.path("status").asText().equals(status));
    }

    private static JsonNode pricingOf(String wamid) {
        await("the delivered status of " + wamid).atMost(Duration.ofSeconds(5))
                .until(() -> !statuses(wamid, "delivered").isEmpty());
        return statuses(wamid, "delivered").get(0).path("pricing");
    }
}
