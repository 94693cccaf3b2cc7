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
    void toStringNeverShowsCredentials() {
        assertThat(SandboxConfig.defaults().toString()).doesNotContain("sandbox-d360-key-1", "sandbox-meta-token-1");
    }
}
