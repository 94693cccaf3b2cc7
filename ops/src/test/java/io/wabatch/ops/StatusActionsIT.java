package io.wabatch.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wabatch.common.contract.CallbackToken;
import io.wabatch.ops.cli.WabatchCli;
import io.wabatch.ops.demo.DemoOptions;
import io.wabatch.ops.demo.DemoStack;
import io.wabatch.sandbox.api.SandboxConfig;
import io.wabatch.sandbox.api.stats.AcceptedMessage;
import io.wabatch.sandbox.kafka.KafkaTestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures reported later by status webhooks act (issue 8): a 131053 on a message sent by media id
 * re-uploads the media and resends the message once, with the next generation; a 131049 resends it
 * once after the engagement delay (24 h, scaled down to 2 s here).
 */
@Timeout(180)
class StatusActionsIT {

    private static final String MEDIA_FAILS = "4915700000003";
    private static final String HELD_BACK = "4915700000007";
    private static DemoStack stack;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startStack() throws Exception {
        String prefix = "actions-" + UUID.randomUUID().toString().substring(0, 8);
        stack = DemoStack.start(DemoOptions.forTest(KafkaTestBroker.bootstrapServers(), prefix,
                Map.of("funnel.engagement.delay.ms", "2000")));
        stack.sandbox().setWebhooks(stack.webhookSettings("\"step\":20,\"failed_share\":0,\"fail_recipients\":{\""
                + MEDIA_FAILS + "\":131053,\"" + HELD_BACK + "\":131049}"));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void a131053ReuploadsAndResendsOnceAnd131049ResendsOnceAfterTheDelay() throws Exception {
        String campaign = "act-" + UUID.randomUUID().toString().substring(0, 6);
        StringBuilder csv = new StringBuilder("phone\n");
        for (int i = 0; i < 10; i++) {
            csv.append("+49157").append(String.format("%08d", i)).append('\n');
        }
        Path recipients = Files.writeString(dir.resolve("r.csv"), csv);
        Path message = Files.writeString(dir.resolve("m.json"), "{\"type\":\"image\",\"image\":{\"link\":\""
                + stack.origin().url("/media/sample.jpg") + "\",\"caption\":\"status actions\"}}");
        String prefix = stack.topics().jobs().substring(0, stack.topics().jobs().length() - ".jobs".length());
        assertThat(WabatchCli.execute("campaign", "publish", "-b", stack.bootstrap(), "--topic-prefix", prefix,
                "--campaign", campaign, "--channel", DemoStack.D360_CHANNEL, "--recipients", recipients.toString(),
                "--message", message.toString())).isZero();

        String number = SandboxConfig.DEMO_D360_NUMBER_ID;
        await("both resends").atMost(Duration.ofSeconds(90)).until(() -> to(number, MEDIA_FAILS).size() == 2
                && to(number, HELD_BACK).size() == 2);
        await("no third send for 3 s").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> to(number, MEDIA_FAILS).size() == 2 && to(number, HELD_BACK).size() == 2);

        List<AcceptedMessage> media = to(number, MEDIA_FAILS);
        assertThat(media).as("sent twice, not more: the resend failed again and was not resent").hasSize(2);
        assertThat(media.stream().map(m -> CallbackToken.parse(m.callback()).generation()))
                .containsExactly(1, 2);
        assertThat(stack.sandbox().uploads()).as("the campaign's upload and one re-upload").hasSize(2);

        List<AcceptedMessage> held = to(number, HELD_BACK);
        assertThat(held).hasSize(2);
        assertThat(CallbackToken.parse(held.get(1).callback()).generation()).isEqualTo(2);
        assertThat(held.get(1).receivedAtMs() - held.get(0).receivedAtMs()).as("not before the delay")
                .isGreaterThanOrEqualTo(2_000);

        assertThat(stack.sandbox().stats(number).accepted()).as("the other 8 once each").isEqualTo(12);
        assertThat(stack.sandbox().stats(number).duplicates()).as("no token sent twice").isZero();
    }

    private static List<AcceptedMessage> to(String number, String recipient) {
        return stack.sandbox().messages(number).stream().filter(m -> m.to().equals(recipient)).toList();
    }
}
