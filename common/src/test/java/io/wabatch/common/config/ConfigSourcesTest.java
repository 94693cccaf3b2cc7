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
        Map<String, String> values = ConfigSources.load(LoopConfig.DEF,
                Map.of("WABATCH_CONFIG_FILE", file.toString(), "WABATCH_GROUP_ID", "from-env", "WABATCH_CHANNELS_FILE", "e.yaml"),
                null, Map.of("channels.file", "override.yaml"));
        assertThat(values).containsEntry("group.id", "from-env").containsEntry("channels.file", "override.yaml")
                .containsEntry("http.max.connections", "7");
    }

    @Test
    void aKeyTheServiceDoesNotKnowInTheFileStopsItNamingTheClosestKnownKey(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("w.properties"), "bootstrap.servers=b:9092\nhttp.max.conections=7\n");
        assertThatThrownBy(() -> ConfigSources.load(LoopConfig.DEF, Map.of(), file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown configuration key 'http.max.conections' in " + file
                        + "; did you mean 'http.max.connections'?");
        // another service's key is just as unknown in this service's own file
        Path other = Files.writeString(dir.resolve("o.properties"), "webhook.port=8080\n");
        assertThatThrownBy(() -> ConfigSources.load(LoopConfig.DEF, Map.of(), other, Map.of()))
                .hasMessageContaining("'webhook.port'");
    }

    @Test
    void aVariableNoServiceKnowsStopsItAndOneAnotherServiceKnowsIsSkipped() {
        assertThatThrownBy(() -> ConfigSources.load(BaseConfig.DEF, Map.of("WABATCH_LOG_FORMT", "json"), null, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("WABATCH_LOG_FORMT is not a setting of any wabatch service; did you mean WABATCH_LOG_FORMAT?");
        assertThatThrownBy(() -> ConfigSources.load(BaseConfig.DEF, Map.of("WABATCH_BOOTSTRAP_SERVER", "b"), null, Map.of()))
                .hasMessageContaining("did you mean WABATCH_BOOTSTRAP_SERVERS?");

        Map<String, String> values = ConfigSources.load(BaseConfig.DEF, Map.of("WABATCH_BOOTSTRAP_SERVERS", "b:9092",
                "WABATCH_CHANNELS_FILE", "/etc/channels.yaml", "WABATCH_SPOOL_DIR", "/spool",
                "WABATCH_KAFKA_SECURITY_PROTOCOL", "SSL", "WABATCH_REQUIRE_TOOLS", "1", "WABATCH_LOG_FORMAT", "json"),
                null, Map.of());
        assertThat(values).containsOnlyKeys("bootstrap.servers", "kafka.security.protocol");
    }

    @Test
    void malformedLoggingVariablesAreRefusedWithTheAcceptedForms() {
        assertThatThrownBy(() -> ConfigSources.checkProcessVariables(Map.of("WABATCH_LOG_FORMAT", "JSN")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid value for WABATCH_LOG_FORMAT: the log format is one of text, json "
                        + "(the value is not shown: it may be a secret)");
        assertThatThrownBy(() -> ConfigSources.checkProcessVariables(Map.of("WABATCH_LOG_LEVEL", "verbose")))
                .hasMessageStartingWith("invalid value for WABATCH_LOG_LEVEL: the log level is one of TRACE")
                .hasMessageNotContaining("verbose");
        ConfigSources.checkProcessVariables(Map.of("WABATCH_LOG_FORMAT", "json", "WABATCH_LOG_LEVEL", "debug",
                "WABATCH_LOG_ROOT_LEVEL", "WARN"));
    }

    @Test
    void badValuesFailNamingKeyValueAndReason() {
        assertThatThrownBy(() -> new LoopConfig(Map.of("bootstrap.servers", "b:9092", "http.max.connections", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.max.connections").hasMessageContaining("0").hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new LoopConfig(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("bootstrap.servers");
    }

    @Test
    void kafkaPassThroughLosesItsPrefix() {
        LoopConfig config = new LoopConfig(Map.of("bootstrap.servers", "b:9092", "kafka.security.protocol", "SSL"));
        assertThat(config.kafkaProperties()).containsEntry("security.protocol", "SSL");
    }

    @Test
    void topicsTheServiceDoesNotDeclareKeepTheirDefaultNames() {
        BaseConfig config = new BaseConfig(Map.of("bootstrap.servers", "b:9092", "topic.status", "my.status",
                "topic.jobs", "ignored.jobs"));
        assertThat(config.topics().status()).isEqualTo("my.status");
        assertThat(config.topics().jobs()).isEqualTo("wa.jobs");
        assertThat(BaseConfig.DEF.names()).doesNotContain("topic.jobs", "window.records", "channels.file", "group.id");
    }

    private static final class LoopConfig extends LoopWorkerConfig {
        private static final ConfigDef DEF = withTopics(loopWorker("test", 0, 10, ""), TopicKey.JOBS);

        LoopConfig(Map<String, ?> values) {
            super(DEF, values);
        }
    }

    private static final class BaseConfig extends WorkerConfig {
        private static final ConfigDef DEF = withTopics(base(0), TopicKey.STATUS);

        BaseConfig(Map<String, ?> values) {
            super(DEF, values);
        }
    }
}
