package io.wabatch.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourcesTest {

    @Test
    void environmentVariablesMapToDottedKeys() {
        assertThat(ConfigSources.keyOf("WABATCH_BOOTSTRAP_SERVERS")).isEqualTo("bootstrap.servers");
        assertThat(ConfigSources.keyOf("WABATCH_KAFKA_SECURITY_PROTOCOL")).isEqualTo("kafka.security.protocol");
        assertThat(ConfigSources.keyOf("WABATCH_CONFIG_FILE")).isNull();
        assertThat(ConfigSources.keyOf("HOME")).isNull();
        assertThat(ConfigSources.variableOf("media.download.timeout.ms")).isEqualTo("WABATCH_MEDIA_DOWNLOAD_TIMEOUT_MS");
    }

    @Test
    void overridesBeatEnvironmentWhichBeatsTheFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("w.properties"), "group.id=from-file\nchannels.file=f.yaml\nhttp.max.connections=7\n");
        Map<String, String> values = ConfigSources.load(
                Map.of("WABATCH_CONFIG_FILE", file.toString(), "WABATCH_GROUP_ID", "from-env", "WABATCH_CHANNELS_FILE", "e.yaml"),
                null, Map.of("channels.file", "override.yaml"));
        assertThat(values).containsEntry("group.id", "from-env").containsEntry("channels.file", "override.yaml")
                .containsEntry("http.max.connections", "7");
    }

    @Test
    void badValuesFailNamingKeyValueAndReason() {
        assertThatThrownBy(() -> new TestConfig(Map.of("bootstrap.servers", "b:9092", "http.max.connections", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.max.connections").hasMessageContaining("0").hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new TestConfig(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("bootstrap.servers");
    }

    @Test
    void kafkaPassThroughLosesItsPrefix() {
        TestConfig config = new TestConfig(Map.of("bootstrap.servers", "b:9092", "kafka.security.protocol", "SSL"));
        assertThat(config.kafkaProperties()).containsEntry("security.protocol", "SSL");
        assertThat(config.topics().jobs()).isEqualTo("wa.jobs");
    }

    private static final class TestConfig extends WorkerConfig {
        private static final ConfigDef DEF = common("test", 10, "", 0);

        TestConfig(Map<String, ?> values) {
            super(DEF, values);
        }
    }
}
