package io.wabatch.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabatch.common.config.ServiceKeys;
import io.wabatch.funnel.FunnelConfig;
import io.wabatch.sender.config.SenderWorkerConfig;
import io.wabatch.upload.config.UploadWorkerConfig;
import io.wabatch.webhook.WebhookConfig;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link ServiceKeys#ALL} is how a service's slim jar tells another service's variable (skipped) from
 * a misspelling (refused): it must be exactly the union of the services' definitions.
 */
class ServiceKeysTest {

    @Test
    void theCatalogueOfKeysIsTheUnionOfTheServicesDefinitions() {
        Set<String> union = new TreeSet<>();
        Stream.of(UploadWorkerConfig.DEFINITION, SenderWorkerConfig.DEFINITION, WebhookConfig.DEFINITION,
                FunnelConfig.DEFINITION).forEach(d -> union.addAll(d.names()));
        assertThat(new TreeSet<>(ServiceKeys.ALL)).isEqualTo(union);
    }

    @Test
    void eachServiceDeclaresOnlyWhatItUses() {
        assertThat(WebhookConfig.DEFINITION.names()).as("the webhook receiver consumes nothing and calls no API")
                .doesNotContain("window.records", "defer.tiers", "http.max.connections", "channels.file", "group.id",
                        "commit.interval.ms", "shutdown.drain.timeout.ms", "topic.ledger", "topic.jobs");
        assertThat(FunnelConfig.DEFINITION.names()).as("the funnel is a Kafka Streams application")
                .doesNotContain("window.records", "http.max.connections", "channels.file", "topic.ledger")
                .contains("group.id", "topic.funnel", "topic.optouts");
        assertThat(UploadWorkerConfig.DEFINITION.names()).doesNotContain("topic.ledger", "defer.tiers", "topic.status")
                .contains("transactional.id", "window.records");
        assertThat(SenderWorkerConfig.DEFINITION.names()).doesNotContain("transactional.id", "topic.media.cache")
                .contains("defer.tiers", "topic.ledger");
    }
}
