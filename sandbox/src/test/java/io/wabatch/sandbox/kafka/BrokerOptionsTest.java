package io.wabatch.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BrokerOptionsTest {

    @Test
    void defaultsUseFreeLoopbackPortsAndATemporaryDir() {
        BrokerOptions options = BrokerOptions.defaults();

        assertThat(options.host()).isEqualTo("127.0.0.1");
        assertThat(options.brokerPort()).isZero();
        assertThat(options.controllerPort()).isZero();
        assertThat(options.fallbackToFreePort()).isFalse();
        assertThat(options.dataDir()).isNull();
        assertThat(options.brokerProperties()).isEmpty();
        assertThat(options.startTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void preferredPortFallsBack() {
        BrokerOptions options = BrokerOptions.preferredPort(9092);

        assertThat(options.brokerPort()).isEqualTo(9092);
        assertThat(options.fallbackToFreePort()).isTrue();
    }

    @Test
    void withersChangeOnlyTheirValue() {
        BrokerOptions options = BrokerOptions.defaults()
                .withBrokerProperty("num.partitions", "3")
                .withBrokerProperty("message.max.bytes", "2097152")
                .withBrokerProperty("num.partitions", "6")
                .withDataDir(Path.of("/tmp/kafka-data"))
                .withControllerPort(9093)
                .withStartTimeout(Duration.ofSeconds(5));

        assertThat(options.brokerProperties())
                .containsExactlyInAnyOrderEntriesOf(Map.of("num.partitions", "6", "message.max.bytes", "2097152"));
        assertThat(options.dataDir()).isEqualTo(Path.of("/tmp/kafka-data"));
        assertThat(options.controllerPort()).isEqualTo(9093);
        assertThat(options.brokerPort()).isZero();
        assertThat(options.startTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"listeners", "advertised.listeners", "log.dirs", "node.id", "process.roles"})
    void managedBrokerPropertiesAreRejected(String key) {
        assertThatThrownBy(() -> BrokerOptions.defaults().withBrokerProperty(key, "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key + "=x")
                .hasMessageContaining("managed");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 65_536})
    void portsOutOfRangeAreRejected(int port) {
        assertThatThrownBy(() -> BrokerOptions.defaults().withBrokerPort(port))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("brokerPort")
                .hasMessageContaining(String.valueOf(port));
    }

    @Test
    void equalBrokerAndControllerPortsAreRejected() {
        assertThatThrownBy(() -> BrokerOptions.defaults().withBrokerPort(9092).withControllerPort(9092))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must differ");
    }

    @Test
    void nonPositiveStartTimeoutIsRejected() {
        assertThatThrownBy(() -> BrokerOptions.defaults().withStartTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("startTimeout");
    }
}
