package io.wabatch.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wabatch.common.api.ApiEndpoint;
import io.wabatch.common.channel.Channel;
import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.secret.Secret;
import io.wabatch.upload.config.UploadWorkerConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Which accounts an upload worker lists on a schedule ({@code templates.accounts}), and its template times. */
class TemplateAccountsTest {

    private static final ChannelRegistry REGISTRY = ChannelRegistry.of(List.of(
            channel("acme-de", "111", 0), channel("acme-at", "111", 1), channel("other", "222", 2),
            channel("no-account", null, 3)));

    @Test
    void noAccountsByDefault() {
        assertThat(UploadWorker.scheduledAccounts(config(Map.of()), REGISTRY)).isEmpty();
    }

    @Test
    void aStarMeansEveryAccountOfTheRegistryOnce() {
        assertThat(UploadWorker.scheduledAccounts(config(Map.of("templates.accounts", "*")), REGISTRY))
                .containsExactly("111", "222");
    }

    @Test
    void namedAccountsAreTakenOnce() {
        assertThat(UploadWorker.scheduledAccounts(config(Map.of("templates.accounts", " 222 ,111,222")), REGISTRY))
                .containsExactly("222", "111");
    }

    @Test
    void anAccountNoChannelHasIsRefusedAtStart() {
        assertThatThrownBy(() -> UploadWorker.scheduledAccounts(config(Map.of("templates.accounts", "111,333")),
                REGISTRY)).isInstanceOf(ConfigException.class).hasMessageContaining("templates.accounts")
                .hasMessageContaining("account 333 is the waba_id of no channel in the registry (known: 111, 222)");
    }

    @Test
    void theTemplateTimesAreConfigurable() {
        UploadWorkerConfig config = config(Map.of("templates.sync.interval.ms", "1000",
                "templates.refresh.min.interval.ms", "0", "templates.stale.after.ms", "5000",
                "templates.restore.timeout.ms", "2000"));

        assertThat(config.templateTimes().syncInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.templateTimes().refreshMinInterval()).isZero();
        assertThat(config.templateTimes().staleAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.templateTimes().restoreTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config(Map.of()).templateTimes().syncInterval()).isEqualTo(Duration.ofMinutes(15));
    }

    private static UploadWorkerConfig config(Map<String, String> values) {
        Map<String, Object> all = new java.util.HashMap<>(values);
        all.put("bootstrap.servers", "localhost:9092");
        return new UploadWorkerConfig(all);
    }

    private static Channel channel(String id, String waba, int partition) {
        return new Channel(id, ApiEndpoint.d360(URI.create("https://waba-v2.360dialog.io"), Secret.of("k-" + id)), waba,
                partition, 80, Channel.DEFAULT_HEADROOM, Channel.defaultBurst(80, Channel.DEFAULT_HEADROOM),
                Channel.DEFAULT_UPLOAD_RATE);
    }
}
