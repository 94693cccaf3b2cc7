package io.wabatch.funnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunnelConfigTest {

    @TempDir
    Path dir;

    @Test
    void noRateCardByDefault() {
        assertThat(new FunnelConfig(Map.of("bootstrap.servers", "localhost:9092")).rateCard()).isEmpty();
    }

    @Test
    void aRateCardIsReadAtStartAndABadOneStopsItNamingTheKeyFileAndLine() throws Exception {
        Path good = Files.writeString(dir.resolve("good.yaml"), "currency: EUR\ndefault: {marketing: 0.06}\n");
        assertThat(new FunnelConfig(Map.of("bootstrap.servers", "localhost:9092", "funnel.rate.card", good.toString()))
                .rateCard()).hasValueSatisfying(card -> assertThat(card.currency()).isEqualTo("EUR"));

        Path bad = Files.writeString(dir.resolve("bad.yaml"), "currency: EUR\ndefault:\n  marketing: free\n");
        assertThatThrownBy(() -> new FunnelConfig(Map.of("bootstrap.servers", "localhost:9092", "funnel.rate.card",
                bad.toString()))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("funnel.rate.card").hasMessageContaining(bad + " line 3, default.marketing: the "
                        + "price must be a number of at least 0, got 'free'");
    }
}
