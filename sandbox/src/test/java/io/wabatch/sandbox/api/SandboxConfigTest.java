package io.wabatch.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxConfigTest {

    @Test
    void defaultsHaveOneNumberPerProviderWithTheDocumentedCredentials() {
        SandboxConfig config = SandboxConfig.defaults();

        assertThat(config.numbers()).containsExactly(
                new SandboxNumber("360000000000001", "+49 30 5550001", "sandbox-d360-key-1", null, 80),
                new SandboxNumber("106540352242922", "+1 555 078 3881", null, "sandbox-meta-token-1", 80));
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isZero();
        assertThat(config.mediaTtl()).isEqualTo(Duration.ofDays(30));
        assertThat(config.rateLimitHttpStatus()).isEqualTo(400);
        assertThat(config.pairLimit()).isEqualTo(PairLimit.of(Duration.ofSeconds(6), 1));
        assertThat(config.latency()).isEqualTo(Latency.NONE);
        assertThat(config.faults()).isEqualTo(Faults.none());
        assertThat(config.storm()).isNull();
        assertThat(config.seed()).isNull();
        assertThat(config.toBuilder().build()).isEqualTo(config);
    }

    @Test
    void readsTheFaultAndLimitSettings(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("sandbox.json"), TestSandbox.json("{'numbers':[{'id':'111',"
                + "'api_key':'k1'}],'pair_limit':{'window':'PT6S','burst':45},'latency':{'min':50,'max':'PT0.3S'},"
                + "'faults':{'mode':'after_accept','http500':0.01,'timeout':0.02,'reset':0.03,'max_hold':'PT30S'},"
                + "'storm':{'number':'111','duration':'PT1M','code':130429,'http_status':429},'seed':42}"));

        SandboxConfig config = SandboxConfig.fromJson(file);

        assertThat(config.pairLimit()).isEqualTo(PairLimit.of(Duration.ofSeconds(6), 45));
        assertThat(config.latency()).isEqualTo(Latency.uniform(Duration.ofMillis(50), Duration.ofMillis(300)));
        assertThat(config.faults()).isEqualTo(new Faults(FaultMode.AFTER_ACCEPT, 0.01, 0.02, 0.03,
                Duration.ofSeconds(30)));
        assertThat(config.storm()).isEqualTo(new Storm("111", Duration.ofMinutes(1), 130429, 429));
        assertThat(config.seed()).isEqualTo(42L);
    }

    @Test
    void pairLimitIsOnUnlessTurnedOff(@TempDir Path dir) throws Exception {
        Path absent = Files.writeString(dir.resolve("a.json"), "{\"numbers\":[{\"id\":\"1\",\"api_key\":\"k\"}]}");
        Path off = Files.writeString(dir.resolve("b.json"),
                "{\"pair_limit\":null,\"numbers\":[{\"id\":\"1\",\"api_key\":\"k\"}]}");
        Path zero = Files.writeString(dir.resolve("c.json"),
                "{\"pair_limit\":{\"window\":0},\"numbers\":[{\"id\":\"1\",\"api_key\":\"k\"}]}");

        assertThat(SandboxConfig.fromJson(absent).pairLimit()).isEqualTo(PairLimit.defaults());
        assertThat(SandboxConfig.fromJson(off).pairLimit().enabled()).isFalse();
        assertThat(SandboxConfig.fromJson(zero).pairLimit().enabled()).isFalse();
        assertThat(SandboxConfig.defaults().toBuilder().pairWindow(null).build().pairLimit())
                .isEqualTo(PairLimit.disabled());
    }

    @Test
    void rejectsBadFaultAndLimitSettingsNamingThem(@TempDir Path dir) throws Exception {
        Path typo = Files.writeString(dir.resolve("t.json"),
                "{\"faults\":{\"http_500\":0.1},\"numbers\":[{\"id\":\"1\",\"api_key\":\"k\"}]}");

        assertThatThrownBy(() -> SandboxConfig.fromJson(typo)).hasMessageContaining("faults.http_500");
        assertThatThrownBy(() -> Faults.beforeAccept(0.5, 0.4, 0.2)).hasMessageContaining("at most 1");
        assertThatThrownBy(() -> Faults.beforeAccept(-0.1, 0, 0)).hasMessageContaining("faults.http500");
        assertThatThrownBy(() -> PairLimit.of(Duration.ofSeconds(6), 0)).hasMessageContaining("pair_limit.burst");
        assertThatThrownBy(() -> Latency.uniform(Duration.ofMillis(300), Duration.ofMillis(50)))
                .hasMessageContaining("latency");
        assertThatThrownBy(() -> new Storm(null, Duration.ofSeconds(1), 130429, 200))
                .hasMessageContaining("storm.http_status");
        assertThatThrownBy(() -> SandboxConfig.defaults().toBuilder()
                .storm(Storm.rateLimit("nope", Duration.ofSeconds(1), 400)).build())
                .hasMessageContaining("storm.number");
    }

    @Test
    void theFirstVersionsConstructorKeepsWorking() {
        SandboxConfig config = new SandboxConfig(SandboxConfig.defaults().numbers(), null, 0,
                Duration.ofDays(30), 400, null, 2);

        assertThat(config.pairLimit()).isEqualTo(PairLimit.defaults());
        assertThat(config.faults()).isEqualTo(Faults.none());
    }

    @Test
    void readsTheCliJsonFormat(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("sandbox.json"), TestSandbox.json("{'port':8089,'media_ttl':'PT10M',"
                + "'rate_limit_http_status':429,'event_loops':1,'numbers':[{'id':'111','display_phone':'+1 1',"
                + "'api_key':'k1','mps':250},{'id':'222','access_token':'t2'}]}"));

        SandboxConfig config = SandboxConfig.fromJson(file);

        assertThat(config.port()).isEqualTo(8089);
        assertThat(config.mediaTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.rateLimitHttpStatus()).isEqualTo(429);
        assertThat(config.eventLoops()).isEqualTo(1);
        assertThat(config.numbers()).containsExactly(new SandboxNumber("111", "+1 1", "k1", null, 250),
                new SandboxNumber("222", "222", null, "t2", 80));
    }

    @Test
    void rejectsUnknownKeysAndBadValuesNamingThem(@TempDir Path dir) throws Exception {
        Path typo = Files.writeString(dir.resolve("typo.json"), "{\"prot\": 1, \"numbers\": []}");

        assertThatThrownBy(() -> SandboxConfig.fromJson(typo)).hasMessageContaining("'prot'");
        assertThatThrownBy(() -> SandboxConfig.builder().build()).hasMessageContaining("numbers");
        assertThatThrownBy(() -> SandboxConfig.defaults().toBuilder().rateLimitHttpStatus(503).build())
                .hasMessageContaining("rate_limit_http_status").hasMessageContaining("503");
        assertThatThrownBy(() -> SandboxConfig.defaults().toBuilder()
                .number(SandboxNumber.d360("x", null, SandboxConfig.DEMO_D360_API_KEY)).build())
                .hasMessageContaining("api_key");
        assertThatThrownBy(() -> new SandboxNumber("x", null, null, null, 80)).hasMessageContaining("api_key");
    }

    @Test
    void readsTheNumbersAccountPortfolioAndOnboarding(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("sandbox.json"), TestSandbox.json("{'numbers':[{'id':'111',"
                + "'access_token':'t','waba_id':'900','portfolio_id':'p1','marketing_messages_onboarded':true},"
                + "{'id':'222','access_token':'t','waba_id':'900','portfolio_id':'p1'},{'id':'333','api_key':'k'}]}"));

        SandboxConfig config = SandboxConfig.fromJson(file);

        assertThat(config.numbers().get(0)).isEqualTo(new SandboxNumber("111", null, null, "t", 80, "900", "p1", true));
        assertThat(config.numbers().get(1).marketingMessagesOnboarded()).isFalse();
        assertThat(config.numbers().get(2).wabaId()).as("its own account by default").isEqualTo("333");
        assertThat(config.numbers().get(2).portfolioId()).isNull();
        assertThat(SandboxConfig.defaults().numbers()).extracting(SandboxNumber::wabaId)
                .containsExactly(SandboxConfig.DEMO_D360_NUMBER_ID, SandboxConfig.DEMO_META_NUMBER_ID);
    }

    @Test
    void numbersOfOneAccountBelongToOnePortfolio(@TempDir Path dir) throws Exception {
        Path split = Files.writeString(dir.resolve("split.json"), TestSandbox.json("{'numbers':[{'id':'111',"
                + "'access_token':'t','waba_id':'900','portfolio_id':'p1'},{'id':'222','access_token':'t',"
                + "'waba_id':'900','portfolio_id':'p2'}]}"));
        Path badFlag = Files.writeString(dir.resolve("flag.json"), TestSandbox.json("{'numbers':[{'id':'111',"
                + "'access_token':'t','marketing_messages_onboarded':'yes'}]}"));

        assertThatThrownBy(() -> SandboxConfig.fromJson(split)).hasMessageContaining("waba_id '900'")
                .hasMessageContaining("portfolio_id");
        assertThatThrownBy(() -> SandboxConfig.fromJson(badFlag))
                .hasMessageContaining("marketing_messages_onboarded");
        assertThatThrownBy(() -> SandboxNumber.meta("1", null, "t").withPortfolioId("has space"))
                .hasMessageContaining("portfolio_id");
    }

    @Test
    void toStringNeverShowsCredentials() {
        assertThat(SandboxConfig.defaults().toString()).doesNotContain("sandbox-d360-key-1", "sandbox-meta-token-1");
    }
}
