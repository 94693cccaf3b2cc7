package io.wabatch.upload.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class UploadWorkerConfigTest {

    @Test
    void theTransactionalIdDefaultsToTheGroupAndARandomSuffixStableForTheConfigsLife() {
        UploadWorkerConfig config = new UploadWorkerConfig(Map.of("bootstrap.servers", "localhost:9092"));
        UploadWorkerConfig other = new UploadWorkerConfig(Map.of("bootstrap.servers", "localhost:9092"));

        assertThat(config.transactionalId()).matches("wabatch-upload-[0-9a-f]{8}").isEqualTo(config.transactionalId())
                .isNotEqualTo(other.transactionalId());
    }

    @Test
    void aStableTransactionalIdPerInstanceIsTakenAsIs() {
        UploadWorkerConfig config = new UploadWorkerConfig(Map.of("bootstrap.servers", "localhost:9092",
                "transactional.id", "wabatch-upload-0"));

        assertThat(config.transactionalId()).isEqualTo("wabatch-upload-0");
    }

    @Test
    void aTransactionalIdPassedThroughToEveryKafkaClientIsRefused() {
        assertThatThrownBy(() -> new UploadWorkerConfig(Map.of("bootstrap.servers", "localhost:9092",
                "kafka.transactional.id", "x"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.transactional.id").hasMessageContaining("transactional.id instead");
    }
}
