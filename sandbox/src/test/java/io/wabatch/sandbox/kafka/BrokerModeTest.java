package io.wabatch.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BrokerModeTest {

    @ParameterizedTest(name = "bootstrap=''{0}'' broker=''{1}'' -> {2}")
    @CsvSource(nullValues = "null", value = {
        "null,            null,           EMBEDDED",
        "'',              '',             EMBEDDED",
        "'  ',            embedded,       EMBEDDED",
        "null,            ' Embedded ',   EMBEDDED",
        "null,            testcontainers, TESTCONTAINERS",
        "null,            TESTCONTAINERS, TESTCONTAINERS",
        "127.0.0.1:9092,  null,           EXTERNAL",
        "127.0.0.1:9092,  testcontainers, EXTERNAL",
        "127.0.0.1:9092,  nonsense,       EXTERNAL",
    })
    void choosesExternalThenNamedBroker(String bootstrap, String broker, BrokerMode expected) {
        assertThat(BrokerMode.select(bootstrap, broker)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"docker", "kraft", "external"})
    void unknownBrokerNameFailsNamingTheChoices(String broker) {
        assertThatThrownBy(() -> BrokerMode.select(" ", broker))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-Dkafka.broker=" + broker)
                .hasMessageContaining("embedded")
                .hasMessageContaining("testcontainers")
                .hasMessageContaining("-Dkafka.bootstrap=host:port");
    }
}
