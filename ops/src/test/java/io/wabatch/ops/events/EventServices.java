package io.wabatch.ops.events;

import io.wabatch.common.contract.CampaignFunnel;
import io.wabatch.ops.campaign.FunnelReader;
import io.wabatch.funnel.FunnelAggregator;
import io.wabatch.funnel.FunnelConfig;
import io.wabatch.sender.SenderStack;
import io.wabatch.webhook.WebhookConfig;
import io.wabatch.webhook.WebhookReceiver;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;

/**
 * The services around a {@link SenderStack} that turn what the API reports back into Kafka records:
 * a webhook receiver and a funnel aggregator, in this JVM, on the stack's topics and meters. They are
 * separate services (their own modules), so only ops' tests run them beside the sender.
 */
final class EventServices implements AutoCloseable {

    private final SenderStack stack;
    private WebhookReceiver receiver;
    private FunnelAggregator funnel;

    EventServices(SenderStack stack) {
        this.stack = stack;
    }

    /** Starts a webhook receiver on a free loopback port writing to the stack's topics. */
    WebhookReceiver startReceiver(Map<String, String> overrides) throws Exception {
        Map<String, String> values = new HashMap<>(topicValues());
        values.put("bootstrap.servers", stack.bootstrap);
        values.put("webhook.host", "127.0.0.1");
        values.put("webhook.port", "0");
        values.putAll(overrides);
        receiver = WebhookReceiver.start(new WebhookConfig(values), stack.meters);
        return receiver;
    }

    /** Starts a funnel aggregator on the stack's topics with its state in {@code stateDir}; waits until it runs. */
    FunnelAggregator startFunnel(Path stateDir, Map<String, String> overrides) throws Exception {
        Map<String, String> values = new HashMap<>(topicValues());
        values.put("bootstrap.servers", stack.bootstrap);
        values.put("group.id", "funnel-" + stack.id);
        values.put("funnel.state.dir", stateDir.toString());
        values.put("kafka.session.timeout.ms", "6000");
        values.put("kafka.heartbeat.interval.ms", "1000");
        values.putAll(overrides);
        funnel = FunnelAggregator.start(new FunnelConfig(values), stack.meters);
        Awaitility.await("the funnel aggregator runs").atMost(Duration.ofSeconds(60)).until(funnel::running);
        return funnel;
    }

    /** The campaign's latest funnel in the stack's funnel topic, if any. */
    Optional<CampaignFunnel> funnel(String campaign) throws IOException {
        try (FunnelReader reader = new FunnelReader(Map.of("bootstrap.servers", stack.bootstrap), stack.topics.funnel())) {
            return reader.latest(campaign);
        }
    }

    private Map<String, String> topicValues() {
        return stack.topics.asConfig();
    }

    @Override
    public void close() {
        if (receiver != null) {
            receiver.close();
        }
        if (funnel != null) {
            funnel.close();
        }
    }
}
