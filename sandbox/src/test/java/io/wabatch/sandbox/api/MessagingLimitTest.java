package io.wabatch.sandbox.api;

import static io.wabatch.sandbox.api.BusinessUserIdTest.PORTFOLIO;
import static io.wabatch.sandbox.api.BusinessUserIdTest.SHOP_A;
import static io.wabatch.sandbox.api.BusinessUserIdTest.SHOP_B;
import static io.wabatch.sandbox.api.BusinessUserIdTest.SHOP_TOKEN;
import static io.wabatch.sandbox.api.TestSandbox.META_ID;
import static io.wabatch.sandbox.api.TestSandbox.OTHER_ID;
import static io.wabatch.sandbox.api.TestSandbox.OTHER_TOKEN;
import static io.wabatch.sandbox.api.TestSandbox.json;
import static io.wabatch.sandbox.api.TestSandbox.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.wabatch.sandbox.api.RawHttp.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Messaging limits belong to the business portfolio: its numbers share one count of unique users. */
@Timeout(60)
class MessagingLimitTest {

    private static TestSandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = TestSandbox.start(b -> b
                .number(SandboxNumber.meta(SHOP_A, "+1 555 000 0003", SHOP_TOKEN).withWabaId("waba-7a")
                        .withPortfolioId(PORTFOLIO))
                .number(SandboxNumber.meta(SHOP_B, "+1 555 000 0004", SHOP_TOKEN).withWabaId("waba-7b")
                        .withPortfolioId(PORTFOLIO)));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
        sandbox.server.setPolicy("null");
    }

    private static String template(String to) {
        return json("{'messaging_product':'whatsapp','to':'" + to + "','type':'template','template':{'name':"
                + "'hello_world','language':{'code':'en_US'}}}");
    }

    @Test
    void theNumbersOfAPortfolioShareOneLimitOfUniqueUsers() {
        sandbox.server.setPolicy("{\"tiers\": {\"" + PORTFOLIO + "\": 2}}");

        assertThat(sandbox.sendMeta(SHOP_A, SHOP_TOKEN, template("4915100000001")).status()).isEqualTo(200);
        assertThat(sandbox.sendMeta(SHOP_B, SHOP_TOKEN, template("4915100000002")).status()).isEqualTo(200);
        Response third = sandbox.sendMeta(SHOP_B, SHOP_TOKEN, template("4915100000003"));
        Response again = sandbox.sendMeta(SHOP_B, SHOP_TOKEN, template("4915100000001"));

        assertThat(third.code()).isEqualTo(131048);
        assertThat(third.details()).contains("business portfolio " + PORTFOLIO);
        assertThat(again.status()).as("a user the portfolio reached already").isEqualTo(200);
        assertThat(sandbox.server.stats(SHOP_B).tierViolations()).isEqualTo(1);
        assertThat(sandbox.server.stats(SHOP_A).tierViolations()).isZero();
        assertThat(sandbox.server.stats().at("/numbers/" + SHOP_B + "/tier_violations").asLong()).isEqualTo(1);
        assertThat(sandbox.server.policy().path("tier_violations").asLong()).isEqualTo(1);
        assertThat(sandbox.server.policy().at("/reached/portfolio:" + PORTFOLIO).asInt()).isEqualTo(2);
        assertThat(sandbox.sendMeta(template("4915100000003")).status()).as("another business").isEqualTo(200);
    }

    @Test
    void aUserReachedByBsuidAndByPhoneCountsOnce() {
        sandbox.server.setPolicy("{\"tiers\": {\"" + PORTFOLIO + "\": 1}}");
        String bsuid = sandbox.server.bsuid(SHOP_A, "4915100000001");

        assertThat(sandbox.sendMeta(SHOP_A, SHOP_TOKEN, template("4915100000001")).status()).isEqualTo(200);
        Response byBsuid = sandbox.sendMeta(SHOP_B, SHOP_TOKEN, json("{'messaging_product':'whatsapp','recipient':'"
                + bsuid + "','type':'template','template':{'name':'hello_world','language':{'code':'en_US'}}}"));

        assertThat(byBsuid.status()).as(byBsuid.body()).isEqualTo(200);
        assertThat(sandbox.server.stats(SHOP_B).tierViolations()).isZero();
    }

    @Test
    void aNumberIdStillNamesTheLimitOfANumberOfNoPortfolio() {
        sandbox.server.setPolicy("{\"tiers\": {\"" + META_ID + "\": 1}}");

        assertThat(sandbox.sendMeta(template("4915100000001")).status()).isEqualTo(200);
        assertThat(sandbox.sendMeta(template("4915100000002")).code()).isEqualTo(131048);
        assertThat(sandbox.sendMeta(OTHER_ID, OTHER_TOKEN, template("4915100000002")).status())
                .as("another account, no limit").isEqualTo(200);
        assertThat(sandbox.server.stats(META_ID).tierViolations()).isEqualTo(1);
        assertThat(sandbox.server.stats(OTHER_ID).tierViolations()).isZero();
    }

    @Test
    void customersInTheirWindowDoNotCount() {
        sandbox.server.setPolicy("{\"tiers\": {\"" + PORTFOLIO + "\": 1}}");
        sandbox.server.inbound(SHOP_B, "4915100000009", "hi");

        assertThat(sandbox.sendMeta(SHOP_A, SHOP_TOKEN, template("4915100000001")).status()).isEqualTo(200);
        assertThat(sandbox.sendMeta(SHOP_B, SHOP_TOKEN, text("4915100000009", "reply")).status()).isEqualTo(200);
        assertThat(sandbox.server.stats(SHOP_B).tierViolations()).isZero();
    }

    @Test
    void aPortfolioIsSetByConfigAdminEndpointAndJava() {
        assertThat(sandbox.server.portfolio(SHOP_A)).isEqualTo(PORTFOLIO);
        assertThat(sandbox.server.stats().at("/numbers/" + SHOP_B + "/portfolio_id").asText()).isEqualTo(PORTFOLIO);
        assertThat(sandbox.server.stats().at("/numbers/" + SHOP_B + "/waba_id").asText()).isEqualTo("waba-7b");
        assertThat(sandbox.server.stats().at("/numbers/" + META_ID + "/portfolio_id").isNull()).isTrue();
        assertThat(sandbox.server.wabaId(META_ID)).isEqualTo(META_ID);
        try {
            sandbox.server.setPolicy("{\"tiers\": {\"" + PORTFOLIO + "\": 1}}");
            sandbox.server.setPortfolio(META_ID, PORTFOLIO);
            assertThat(sandbox.sendMeta(SHOP_A, SHOP_TOKEN, template("4915100000001")).status()).isEqualTo(200);
            assertThat(sandbox.sendMeta(template("4915100000002")).code()).isEqualTo(131048);
            Response bad = sandbox.admin("PUT", "/_sandbox/numbers/" + META_ID, "{\"portfolio_id\": 12}");
            Response unknownKey = sandbox.admin("PUT", "/_sandbox/numbers/" + META_ID, "{\"portfolio\": \"x\"}");
            Response empty = sandbox.admin("PUT", "/_sandbox/numbers/" + META_ID, "{}");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(unknownKey.status()).isEqualTo(400);
            assertThat(unknownKey.body()).contains("portfolio");
            assertThat(empty.status()).isEqualTo(400);
            Response none = sandbox.admin("PUT", "/_sandbox/numbers/" + META_ID, "{\"portfolio_id\": null}");
            assertThat(none.status()).isEqualTo(200);
            assertThat(sandbox.server.portfolio(META_ID)).isNull();
        } finally {
            sandbox.server.setPortfolio(META_ID, null);
        }
    }
}
