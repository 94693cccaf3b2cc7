package io.wabatch.common.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientOptionsTest {

    @Test
    void defaultsSizeThePoolForThroughput() {
        ClientOptions options = ClientOptions.defaults();

        assertThat(options.maxConnections()).isEqualTo(256);
        assertThat(options.maxWaitQueue()).isEqualTo(4096);
        assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.uploadTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(options.userAgent()).isNotBlank();
    }

    @Test
    void rejectsNonsenseNamingTheField() {
        ClientOptions d = ClientOptions.defaults();
        assertThatThrownBy(() -> d.withMaxConnections(0)).hasMessageContaining("maxConnections 0");
        assertThatThrownBy(() -> d.withMaxWaitQueue(-1)).hasMessageContaining("maxWaitQueue -1");
        assertThatThrownBy(() -> d.withConnectTimeout(Duration.ZERO)).hasMessageContaining("connectTimeout");
        assertThatThrownBy(() -> d.withRequestTimeout(null)).hasMessageContaining("requestTimeout");
        assertThatThrownBy(() -> d.withUploadTimeout(Duration.ofDays(30))).hasMessageContaining("uploadTimeout");
        assertThatThrownBy(() -> d.withUserAgent("a\nb")).hasMessageContaining("userAgent");
    }

    @Test
    void withersChangeOneField() {
        ClientOptions options = ClientOptions.defaults().withMaxConnections(8).withRequestTimeout(Duration.ofSeconds(2));

        assertThat(options).isEqualTo(new ClientOptions(8, 4096, Duration.ofSeconds(5), Duration.ofSeconds(2),
                Duration.ofMinutes(10), ClientOptions.defaults().userAgent()));
    }
}
