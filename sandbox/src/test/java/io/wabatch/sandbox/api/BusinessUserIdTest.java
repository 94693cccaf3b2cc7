package io.wabatch.sandbox.api;

import static io.wabatch.sandbox.api.TestSandbox.META_ID;
import static io.wabatch.sandbox.api.TestSandbox.OTHER_ID;
import static io.wabatch.sandbox.api.TestSandbox.OTHER_TOKEN;
import static io.wabatch.sandbox.api.TestSandbox.json;
import static io.wabatch.sandbox.api.TestSandbox.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.sandbox.api.RawHttp.Response;
import io.wabatch.sandbox.api.stats.AcceptedMessage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Business-scoped user IDs: sending by {@code recipient}, one person per portfolio, webhooks naming the BSUID. */
@Timeout(60)
class BusinessUserIdTest {

    static final String PORTFOLIO = "portfolio-7";
    static final String SHOP_A = "300000000000003";
    static final String SHOP_B = "300000000000004";
    static final String SHOP_TOKEN = "sandbox-meta-token-3";
    private static final String ALICE = "+49 151 12345678";
    private static final String ALICE_DIGITS = "4915112345678";
    private static final String USERNAME_USER = "DE.98765432109876543210";

    private static TestSandbox sandbox;
    private static WebhookCatcher hooks;

    @BeforeAll
    static void start() {
        sandbox = TestSandbox.start(b -> b
                .number(SandboxNumber.meta(SHOP_A, "+1 555 000 0003", SHOP_TOKEN).withWabaId("waba-7a")
                        .withPortfolioId(PORTFOLIO))
                .number(SandboxNumber.meta(SHOP_B, "+1 555 000 0004", SHOP_TOKEN).withWabaId("waba-7b")
                        .withPortfolioId(PORTFOLIO)));
        hooks = new WebhookCatcher();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
        hooks.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
        sandbox.server.setPolicy("null");
        sandbox.server.setWebhooks("null");
        hooks.clear();
    }

    private static String toRecipient(String bsuid, String body) {
        return json("{'messaging_product':'whatsapp','recipient':'" + bsuid + "','type':'text','text':{'body':'"
                + body + "'}}");
    }

    @Test
    void aMessageToABsuidReachesThePersonAndTheAnswerNamesOnlyTheUserId() {
        String bsuid = sandbox.server.bsuid(META_ID, ALICE);

        Response response = sandbox.sendMeta(toRecipient(bsuid, "hi"));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode contact = response.json().at("/contacts/0");
        assertThat(contact.get("input").asText()).isEqualTo(bsuid);
        assertThat(contact.get("user_id").asText()).isEqualTo(bsuid);
        assertThat(contact.has("wa_id")).isFalse();
        AcceptedMessage accepted = sandbox.server.messages(META_ID).get(0);
        assertThat(accepted.to()).isEqualTo(ALICE_DIGITS);
        assertThat(accepted.userId()).isEqualTo(bsuid);
    }

    @Test
    void aMessageToAPhoneNumberAnswersItsWaIdAndItsUserId() {
        Response response = sandbox.sendMeta(text(ALICE, "hi"));

        JsonNode contact = response.json().at("/contacts/0");
        assertThat(contact.get("input").asText()).isEqualTo(ALICE);
        assertThat(contact.get("wa_id").asText()).isEqualTo(ALICE_DIGITS);
        assertThat(contact.get("user_id").asText()).isEqualTo(sandbox.server.bsuid(META_ID, ALICE));
    }

    @Test
    void withBothToWinsAndTheRecipientIsIgnored() {
        Response response = sandbox.sendMeta(json("{'messaging_product':'whatsapp','to':'" + ALICE
                + "','recipient':'not a bsuid','text':{'body':'hi'}}"));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().at("/contacts/0/wa_id").asText()).isEqualTo(ALICE_DIGITS);
        assertThat(response.json().at("/contacts/0/input").asText()).isEqualTo(ALICE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"13491208655302741918", "us.13491208655302741918", "US.", "US.ENT.", "USA.1234",
        "US.1234-5", "U.1234", "US..1234"})
    void aRecipientThatIsNoBsuidIs131009NamingTheField(String recipient) {
        Response response = sandbox.sendMeta(toRecipient(recipient, "hi"));

        assertThat(response.code()).as(response.body()).isEqualTo(131009);
        assertThat(response.details()).contains("'recipient'");
    }

    @Test
    void aBsuidOfUpTo128AlphanumericsAndParentBsuidsAreValid() {
        assertThat(sandbox.sendMeta(toRecipient("US." + "aB3".repeat(42) + "xy", "128")).status()).isEqualTo(200);
        assertThat(sandbox.sendMeta(toRecipient("US." + "a".repeat(129), "129")).code()).isEqualTo(131009);
        assertThat(sandbox.sendMeta(toRecipient("US.ENT.11815799212886844830", "parent")).status()).isEqualTo(200);
    }

    @Test
    void neitherToNorRecipientIs131008() {
        Response response = sandbox.sendMeta(json("{'messaging_product':'whatsapp','text':{'body':'hi'}}"));

        assertThat(response.code()).isEqualTo(131008);
        assertThat(response.details()).contains("'to'").contains("'recipient'");
    }

    @Test
    void aPersonHasOneBsuidPerPortfolio() {
        String shopA = sandbox.server.bsuid(SHOP_A, ALICE);

        assertThat(shopA).matches("DE\\.\\d{20}");
        assertThat(sandbox.server.bsuid(SHOP_B, "004915112345678".substring(2))).isEqualTo(shopA);
        assertThat(sandbox.server.bsuid(META_ID, ALICE)).isNotEqualTo(shopA).matches("DE\\.\\d{20}");
        assertThat(sandbox.server.bsuid(OTHER_ID, ALICE)).isNotEqualTo(shopA)
                .isNotEqualTo(sandbox.server.bsuid(META_ID, ALICE));
        assertThat(sandbox.server.bsuid(META_ID, "+1 650 555 1234")).startsWith("US.");
        assertThat(sandbox.server.parentBsuid(ALICE)).matches("DE\\.ENT\\.\\d{20}");
        assertThat(sandbox.sendMeta(SHOP_B, SHOP_TOKEN, toRecipient(shopA, "hi")).status()).isEqualTo(200);
        assertThat(sandbox.server.messages(SHOP_B).get(0).to()).isEqualTo(ALICE_DIGITS);
    }

    @Test
    void aBsuidOfAnotherPortfolioIsRefused() {
        String otherPortfolios = sandbox.server.bsuid(SHOP_A, ALICE);

        Response response = sandbox.sendMeta(toRecipient(otherPortfolios, "hi"));

        assertThat(response.code()).isEqualTo(131009);
        assertThat(response.details()).contains("another business portfolio");
    }

    @Test
    void aParentBsuidReachesThePersonFromEveryPortfolio() {
        String parent = sandbox.server.parentBsuid(ALICE);

        assertThat(sandbox.sendMeta(toRecipient(parent, "meta")).status()).isEqualTo(200);
        assertThat(sandbox.sendMeta(SHOP_A, SHOP_TOKEN, toRecipient(parent, "shop")).status()).isEqualTo(200);
        assertThat(sandbox.server.messages(META_ID).get(0).to()).isEqualTo(ALICE_DIGITS);
        assertThat(sandbox.server.messages(SHOP_A).get(0).to()).isEqualTo(ALICE_DIGITS);
    }

    @Test
    void theBsuidIsThePersonForThePairLimit() {
        sandbox.server.setPairLimit(PairLimit.of(Duration.ofSeconds(30), 1));
        String bsuid = sandbox.server.bsuid(META_ID, ALICE);

        assertThat(sandbox.sendMeta(text(ALICE, "by phone")).status()).isEqualTo(200);
        Response byBsuid = sandbox.sendMeta(toRecipient(bsuid, "by bsuid"));

        assertThat(byBsuid.code()).isEqualTo(131056);
    }

    @Test
    void theSameBodyByPhoneAndByBsuidIsADuplicateBody() {
        String bsuid = sandbox.server.bsuid(META_ID, ALICE);

        sandbox.sendMeta(text(ALICE, "same"));
        sandbox.sendMeta(toRecipient(bsuid, "same"));

        assertThat(sandbox.server.stats(META_ID).accepted()).isEqualTo(2);
        assertThat(sandbox.server.stats(META_ID).duplicateBodies()).isEqualTo(1);
    }

    @Test
    void theBsuidIsThePersonForThe24HourWindow() {
        sandbox.server.setPolicy("{\"window\": true}");
        sandbox.server.inbound(META_ID, ALICE, "hello");

        assertThat(sandbox.sendMeta(toRecipient(sandbox.server.bsuid(META_ID, ALICE), "reply")).status())
                .isEqualTo(200);
        assertThat(sandbox.sendMeta(toRecipient(USERNAME_USER, "cold")).code()).isEqualTo(131047);
        sandbox.server.inbound(META_ID, USERNAME_USER, "hello from a username user");
        assertThat(sandbox.sendMeta(toRecipient(USERNAME_USER, "reply")).status()).isEqualTo(200);
    }

    @Test
    void aBsuidNeverIssuedIsAUsernameUserKnownOnlyByIt() {
        sandbox.server.setPairLimit(PairLimit.of(Duration.ofSeconds(30), 1));

        Response first = sandbox.sendMeta(toRecipient(USERNAME_USER, "one"));
        Response second = sandbox.sendMeta(toRecipient(USERNAME_USER, "two"));

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().at("/contacts/0/user_id").asText()).isEqualTo(USERNAME_USER);
        assertThat(second.code()).isEqualTo(131056);
        AcceptedMessage accepted = sandbox.server.messages(META_ID).get(0);
        assertThat(accepted.to()).isNull();
        assertThat(accepted.userId()).isEqualTo(USERNAME_USER);
        assertThat(sandbox.admin("GET", "/_sandbox/messages?number=" + META_ID, null).json().at("/0/user_id")
                .asText()).isEqualTo(USERNAME_USER);
    }

    @Test
    void statusWebhooksCarryTheRecipientsUserIdAndTheAccountsId() {
        sandbox.server.setWebhooks(hooks.settings());
        String bsuid = sandbox.server.bsuid(SHOP_A, ALICE);

        sandbox.sendMeta(SHOP_A, SHOP_TOKEN, text(ALICE, "by phone"));
        sandbox.sendMeta(SHOP_A, SHOP_TOKEN, toRecipient(USERNAME_USER, "username user"));

        await("sent and delivered statuses of both").atMost(Duration.ofSeconds(10))
                .until(() -> hooks.statuses().size() >= 4);
        List<JsonNode> statuses = hooks.statuses();
        assertThat(statuses).filteredOn(s -> s.has("recipient_id")).isNotEmpty().allSatisfy(s -> {
            assertThat(s.get("recipient_id").asText()).isEqualTo(ALICE_DIGITS);
            assertThat(s.get("recipient_user_id").asText()).isEqualTo(bsuid);
        });
        assertThat(statuses).filteredOn(s -> !s.has("recipient_id")).isNotEmpty()
                .allSatisfy(s -> assertThat(s.get("recipient_user_id").asText()).isEqualTo(USERNAME_USER));
        assertThat(hooks.entryIds()).containsOnly("waba-7a");
    }

    @Test
    void inboundMessagesCarryTheSendersUserId() {
        sandbox.server.setWebhooks(hooks.settings());

        sandbox.server.inbound(SHOP_B, ALICE, "hi");
        sandbox.admin("POST", "/_sandbox/inbound", json("{'number':'" + SHOP_B + "','from':'" + USERNAME_USER
                + "','text':'hi'}"));

        await("both inbound webhooks").atMost(Duration.ofSeconds(10)).until(() -> hooks.messages().size() >= 2);
        List<JsonNode> values = hooks.values();
        JsonNode phone = values.stream().filter(v -> v.at("/messages/0").has("from")).findFirst().orElseThrow();
        JsonNode username = values.stream().filter(v -> !v.at("/messages/0").has("from")).findFirst().orElseThrow();
        String bsuid = sandbox.server.bsuid(SHOP_B, ALICE);
        assertThat(phone.at("/messages/0/from").asText()).isEqualTo(ALICE_DIGITS);
        assertThat(phone.at("/messages/0/from_user_id").asText()).isEqualTo(bsuid);
        assertThat(phone.at("/contacts/0/wa_id").asText()).isEqualTo(ALICE_DIGITS);
        assertThat(phone.at("/contacts/0/user_id").asText()).isEqualTo(bsuid);
        assertThat(username.at("/messages/0/from_user_id").asText()).isEqualTo(USERNAME_USER);
        assertThat(username.at("/contacts/0/user_id").asText()).isEqualTo(USERNAME_USER);
        assertThat(username.at("/contacts/0").has("wa_id")).isFalse();
        assertThat(hooks.entryIds()).containsOnly("waba-7b");
    }

    @Test
    void failRecipientsMayNameABsuid() {
        sandbox.server.setWebhooks(hooks.settings().replace("}", ",\"fail_recipients\":{\"" + USERNAME_USER
                + "\":131026}}"));

        sandbox.sendMeta(toRecipient(USERNAME_USER, "doomed"));

        await("the failed status").atMost(Duration.ofSeconds(10))
                .until(() -> hooks.statuses().stream().anyMatch(s -> s.path("status").asText().equals("failed")));
        assertThat(sandbox.server.webhooks().at("/numbers/" + META_ID + "/failed_by_code/131026").asLong())
                .isEqualTo(1);
    }

    @Test
    void movingAnAccountIntoAPortfolioGivesItsUsersThePortfoliosBsuids() {
        String before = sandbox.server.bsuid(OTHER_ID, ALICE);
        try {
            Response moved = sandbox.admin("PUT", "/_sandbox/numbers/" + OTHER_ID, json("{'portfolio_id':'"
                    + PORTFOLIO + "'}"));

            assertThat(moved.status()).as(moved.body()).isEqualTo(200);
            assertThat(moved.json().get("portfolio_id").asText()).isEqualTo(PORTFOLIO);
            assertThat(sandbox.server.portfolio(OTHER_ID)).isEqualTo(PORTFOLIO);
            assertThat(sandbox.server.bsuid(OTHER_ID, ALICE)).isNotEqualTo(before)
                    .isEqualTo(sandbox.server.bsuid(SHOP_A, ALICE));
            assertThat(sandbox.sendMeta(OTHER_ID, OTHER_TOKEN, toRecipient(sandbox.server.bsuid(SHOP_B, ALICE), "x"))
                    .status()).isEqualTo(200);
        } finally {
            sandbox.server.setPortfolio(OTHER_ID, null);
        }
        assertThat(sandbox.server.bsuid(OTHER_ID, ALICE)).isEqualTo(before);
    }
}
