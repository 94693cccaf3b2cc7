package io.wabatch.ops.events;

import io.wabatch.sender.ReadyJobs;
import io.wabatch.sender.SenderStack;
import io.wabatch.sender.TestChannel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.common.contract.CampaignFunnel;
import io.wabatch.common.control.CampaignCommand;
import io.wabatch.webhook.WebhookReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The campaign funnel from end to end: sender → sandbox → signed status webhooks (each posted 3
 * times, newest first) → webhook receiver → {@code wa.status} → funnel aggregator → {@code
 * wa.funnel}; its counts must equal the sandbox's ground truth.
 */
@Timeout(180)
@Tag("slow")
class FunnelIT {

    private static final TestChannel CHANNEL = TestChannel.d360("funnel", 0, 200);
    private static final TestChannel SLOW = TestChannel.d360("funnel-slow", 0, 100);
    private static final String SECRET = "funnel-secret";
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path state;

    @Test
    void funnelCountsEqualTheSandboxsGroundTruthDespiteReplayedAndReorderedWebhooks() throws Exception {
        try (SenderStack stack = SenderStack.create("funnel", List.of(CHANNEL));
                 EventServices services = new EventServices(stack)) {
            WebhookReceiver receiver = services.startReceiver(Map.of("webhook.app.secret", SECRET));
            stack.sandbox.setWebhooks("{\"url\":\"http://127.0.0.1:" + receiver.port() + "/webhook\",\"app_secret\":\""
                    + SECRET + "\",\"step\":20,\"read_share\":0.6,\"failed_share\":0.1,\"failed_codes\":[131026,131049],"
                    + "\"copies\":3,\"out_of_order\":true}");
            services.startFunnel(state, Map.of());
            stack.startSender(Map.of());
            stack.publish(ReadyJobs.texts("spring", CHANNEL.id(), 4, 300));
            stack.outputs().awaitResults("spring", 300, WAIT);

            JsonNode truth = stack.sandbox.webhooks().path("numbers").path(CHANNEL.numberId());
            long statuses = truth.path("sent").asLong() + truth.path("delivered").asLong() + truth.path("read").asLong()
                    + truth.path("failed").asLong();
            await("every webhook answered").atMost(WAIT)
                    .until(() -> stack.sandbox.webhooks().path("answered_ok").asLong() == statuses * 3);
            CampaignFunnel funnel = await("the funnel has every status").atMost(WAIT)
                    .until(() -> services.funnel("spring").orElse(null), f -> f != null
                            && f.sent() + f.delivered() + f.read() + f.failed() == statuses);

            assertThat(funnel.jobs()).isEqualTo(300);
            assertThat(funnel.accepted()).isEqualTo(300);
            assertThat(funnel.sent()).isEqualTo(truth.path("sent").asLong()).isEqualTo(300);
            assertThat(funnel.delivered()).isEqualTo(truth.path("delivered").asLong());
            assertThat(funnel.read()).isEqualTo(truth.path("read").asLong());
            assertThat(funnel.failed()).isEqualTo(truth.path("failed").asLong()).isPositive();
            Map<String, Long> truthCodes = new HashMap<>();
            truth.path("failed_by_code").fields().forEachRemaining(e -> truthCodes.put(e.getKey(), e.getValue().asLong()));
            assertThat(funnel.failedByCode()).isEqualTo(truthCodes);
            assertThat(funnel.pricing().get("service")).as("every sent text has service pricing").isEqualTo(funnel.sent());
            assertThat(funnel.state()).isEqualTo("running");
            assertThat(funnel.finished()).isEqualTo(300);
            // A status that arrives before its job's result counts under channel "unknown".
            assertThat(stack.meters.get("wabatch.funnel.messages").tag("stage", "read").counters().stream()
                    .mapToDouble(io.micrometer.core.instrument.Counter::count).sum()).isEqualTo(funnel.read());
        }
    }

    @Test
    void aCampaignWhoseFailuresPassTheThresholdPausesItselfWithTheReason() throws Exception {
        try (SenderStack stack = SenderStack.create("funnel-autopause", List.of(SLOW));
                 EventServices services = new EventServices(stack)) {
            WebhookReceiver receiver = services.startReceiver(Map.of("webhook.app.secret", SECRET));
            stack.sandbox.setWebhooks("{\"url\":\"http://127.0.0.1:" + receiver.port() + "/webhook\",\"app_secret\":\""
                    + SECRET + "\",\"step\":10,\"failed_share\":0.6,\"failed_codes\":[131026]}");
            services.startFunnel(state, Map.of("funnel.autopause.failure.ratio", "0.3", "funnel.autopause.min.finished",
                    "20"));
            stack.startSender(Map.of());
            // Enough for 30 s at the channel's pace: the pause lands well before the end, even on a busy machine.
            stack.publish(ReadyJobs.texts("bad-list", SLOW.id(), 5, 3000));

            CampaignFunnel paused = await("the campaign pauses itself").atMost(WAIT)
                    .until(() -> services.funnel("bad-list").orElse(null), f -> f != null && "paused".equals(f.state()));
            assertThat(paused.by()).isEqualTo("auto-pause");
            assertThat(paused.reason()).contains("failed").contains("131026");
            assertThat(stack.outputs().controlRecords()).anySatisfy(r -> assertThat(CampaignCommand.read(r.value()).by())
                    .isEqualTo("auto-pause"));
            long acceptedAtPause = stack.stats(SLOW.id()).accepted();
            await("the pause holds for 2 s").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> stack.stats(SLOW.id()).accepted() < acceptedAtPause + 400);
            assertThat(stack.stats(SLOW.id()).accepted()).as("the sender honours the pause")
                    .isLessThan(acceptedAtPause + 400).isLessThan(3000);
            assertThat(stack.meters.get("wabatch.funnel.auto.pauses").counter().count()).as("paused once").isEqualTo(1);
        }
    }
}
