package io.wabatch.ops.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.CampaignFunnel;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.sandbox.api.stats.StatsSnapshot;
import io.wabatch.sender.ReadyJobs;
import io.wabatch.sender.SenderStack;
import io.wabatch.sender.TestChannel;
import io.wabatch.webhook.WebhookReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a campaign cost, end to end (issue 19): the sandbox prices each message as Meta does (category from
 * its template catalogue; free inside an entry point or, for utility templates and service messages, the
 * customer's window) and posts its statuses three times each; the funnel's charged and free counts per
 * category equal the sandbox's truth.
 */
@Timeout(180)
class CampaignPricingIT {

    private static final org.slf4j.Logger FIGURES = org.slf4j.LoggerFactory.getLogger("figures");
    private static final String SECRET = "pricing-secret";

    @TempDir
    Path state;

    @Test
    void chargedAndFreeMessagesPerCategoryEqualTheSandboxsTruth() throws Exception {
        TestChannel channel = TestChannel.meta("priced", 0, 80);
        try (SenderStack stack = SenderStack.create("pricing", List.of(channel));
             EventServices services = new EventServices(stack)) {
            WebhookReceiver receiver = services.startReceiver(Map.of("webhook.app.secret", SECRET));
            stack.sandbox.setWebhooks("{\"url\":\"http://127.0.0.1:" + receiver.port() + "/webhook\",\"app_secret\":\""
                    + SECRET + "\",\"step\":20,\"copies\":3}");
            stack.sandbox.setTemplates(channel.numberId(), "[" + template("spring_sale", "MARKETING") + ","
                    + template("order_ready", "UTILITY") + "]");
            services.startFunnel(state, Map.of());
            stack.startSender(Map.of());

            List<ReadyJob> jobs = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String user = ReadyJobs.recipient(8, i);
                if (i < 3) {
                    stack.sandbox.entryPoint(channel.numberId(), user); // came from an ad: free for 72 h
                } else if (i < 6) {
                    stack.sandbox.inbound(channel.numberId(), user, "hi"); // wrote: their window is open
                }
                jobs.add(job("mixed", "mixed/m" + i, channel.id(), user, "spring_sale"));
                jobs.add(job("mixed", "mixed/u" + i, channel.id(), user, "order_ready"));
                if (i >= 3 && i < 6) {
                    jobs.add(ReadyJobs.text("mixed", "mixed/t" + i, channel.id(), user));
                }
            }
            stack.publish(jobs);
            stack.outputs().awaitResults("mixed", jobs.size(), Duration.ofSeconds(60));

            StatsSnapshot truth = stack.stats(channel.id());
            long priced = truth.charged() + List.of("marketing", "utility", "service").stream()
                    .mapToLong(truth::free).sum();
            assertThat(priced).as("the sandbox priced every message once").isEqualTo(jobs.size());
            await("the funnel priced every message").atMost(Duration.ofSeconds(60)).until(() -> counted(services)
                    .map(f -> sum(f.charged()) + sum(f.free())).orElse(0L) == jobs.size());
            CampaignFunnel funnel = counted(services).orElseThrow();

            for (String category : List.of("marketing", "utility", "service")) {
                assertThat(funnel.charged().getOrDefault(category, 0L)).as("charged " + category)
                        .isEqualTo(truth.charged(category));
                assertThat(funnel.free().getOrDefault(category, 0L)).as("free " + category)
                        .isEqualTo(truth.free(category));
            }
            assertThat(truth.free("marketing")).as("entry points are free").isEqualTo(3);
            assertThat(truth.charged("marketing")).isEqualTo(9);
            FIGURES.info("pricing: {} messages, statuses posted 3 times each; funnel charged {} free {}, sandbox "
                    + "charged {} (marketing {}, utility {}), free marketing {} utility {} service {}", jobs.size(),
                    funnel.charged(), funnel.free(), truth.charged(), truth.charged("marketing"),
                    truth.charged("utility"), truth.free("marketing"), truth.free("utility"), truth.free("service"));
        }
    }

    private static Optional<CampaignFunnel> counted(EventServices services) throws Exception {
        return services.funnel("mixed");
    }

    private static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private static String template(String name, String category) {
        return "{\"name\":\"" + name + "\",\"language\":\"en_US\",\"status\":\"APPROVED\",\"category\":\"" + category
                + "\",\"id\":\"" + Math.abs(name.hashCode()) + "\",\"components\":[{\"type\":\"BODY\",\"text\":"
                + "\"Hello from " + name + "\"}]}";
    }

    private static ReadyJob job(String campaign, String jobId, String channel, String to, String template) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "template");
        ObjectNode body = message.putObject("template").put("name", template);
        body.putObject("language").put("code", "en_US");
        return ReadyJobs.job(campaign, jobId, channel, to, message, List.of(), 1);
    }
}
