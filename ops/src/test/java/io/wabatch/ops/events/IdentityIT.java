package io.wabatch.ops.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.Identity;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.sender.ReadyJobs;
import io.wabatch.sender.SenderStack;
import io.wabatch.sender.TestChannel;
import io.wabatch.webhook.WebhookReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One identity per person (whatsapp-api-facts §10): a message to a number brings back status
 * webhooks that also carry the person's business-scoped user ID; the funnel aggregator joins the
 * two in {@code wa.identities}; the person then replies STOP from the number, and a marketing
 * template addressed to their BSUID is refused as opted out, while another BSUID's is sent.
 */
@Timeout(180)
class IdentityIT {

    private static final String SECRET = "identity-secret";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path state;

    @Test
    void anOptOutGivenByPhoneIsHonouredForTheSamePersonsBsuid() throws Exception {
        TestChannel channel = TestChannel.d360("identity", 0, 100);
        try (SenderStack stack = SenderStack.create("identity", List.of(channel));
             EventServices services = new EventServices(stack)) {
            WebhookReceiver receiver = services.startReceiver(Map.of("webhook.app.secret", SECRET));
            stack.sandbox.setWebhooks("{\"url\":\"http://127.0.0.1:" + receiver.port() + "/webhook\",\"app_secret\":\""
                    + SECRET + "\",\"step\":20}");
            services.startFunnel(state, Map.of());
            String phone = ReadyJobs.recipient(4, 1);
            String bsuid = stack.sandbox.bsuid(channel.numberId(), phone);
            String stranger = "US.55500011122233344455";
            stack.startSender(Map.of());

            stack.publish(List.of(template("hello", "hello/0", channel, phone)));
            assertThat(stack.outputs().awaitResult("hello", "hello/0", WAIT).outcome()).isEqualTo(Outcome.ACCEPTED);
            await("the identity is learned from the status").atMost(WAIT).until(() -> stack.outputs().identityRecords()
                    .stream().map(r -> read(r.value())).anyMatch(i -> bsuid.equals(i.userId()) && phone.equals(i.phone())));
            stack.sandbox.inbound(channel.numberId(), phone, "STOP");
            await("the opt-out is in wa.optouts").atMost(WAIT).until(() -> !stack.outputs().optOutRecords().isEmpty());
            stack.stopSender();
            stack.startSender(Map.of()); // reads both compacted topics to their end before it sends

            stack.publish(List.of(template("promo", "promo/by-bsuid", channel, bsuid),
                    template("promo", "promo/stranger", channel, stranger)));
            Map<String, JobResult> promo = stack.outputs().awaitResults("promo", 2, WAIT);
            JobResult refused = promo.get("promo/by-bsuid");
            assertThat(refused.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(refused.error().code()).isEqualTo("opted_out");
            assertThat(promo.get("promo/stranger").outcome()).as("someone else").isEqualTo(Outcome.ACCEPTED);
            assertThat(stack.sandbox.messages(channel.numberId())).as("the opted-out person got nothing new")
                    .filteredOn(m -> bsuid.equals(m.userId())).hasSize(1);
        }
    }

    private static Identity read(byte[] value) {
        try {
            return Identity.decode(value);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ReadyJob template(String campaign, String jobId, TestChannel channel, String to) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "template");
        ObjectNode template = message.putObject("template").put("name", "spring_sale");
        template.putObject("language").put("code", "en_US");
        return ReadyJobs.job(campaign, jobId, channel.id(), to, message, List.of(), 1);
    }
}
