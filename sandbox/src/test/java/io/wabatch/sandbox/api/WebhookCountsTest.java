package io.wabatch.sandbox.api;

import static io.wabatch.sandbox.api.TestSandbox.META_ID;
import static io.wabatch.sandbox.api.TestSandbox.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code GET /_sandbox/webhooks} counts status posts and customers' messages apart, and both together. */
@Timeout(60)
class WebhookCountsTest {

    private static TestSandbox sandbox;
    private static WebhookCatcher hooks;

    @BeforeAll
    static void start() {
        sandbox = TestSandbox.start();
        hooks = new WebhookCatcher();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
        hooks.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
        sandbox.server.setWebhooks("null");
        hooks.clear();
    }

    @Test
    void statusesAndCustomerMessagesAreCountedApartAndTogether() {
        sandbox.server.setWebhooks(hooks.settings().replace("}", ",\"read_share\":1.0}"));

        sandbox.sendMeta(text("+4915100000001", "hello"));
        sandbox.server.inbound(META_ID, "+4915100000002", "hi");
        sandbox.server.inbound(META_ID, "+4915100000003", "hi");

        await("three statuses and two messages answered").atMost(Duration.ofSeconds(10))
                .until(() -> sandbox.server.webhooks().path("answered_ok").asLong() == 5);
        JsonNode counts = sandbox.server.webhooks();
        assertThat(counts.path("statuses").path("posted").asLong()).isEqualTo(3);
        assertThat(counts.path("statuses").path("answered_ok").asLong()).isEqualTo(3);
        assertThat(counts.path("inbound").path("posted").asLong()).isEqualTo(2);
        assertThat(counts.path("inbound").path("answered_ok").asLong()).isEqualTo(2);
        assertThat(counts.path("posted").asLong()).isEqualTo(5);
        assertThat(counts.path("refused").asLong()).isZero();
    }

    @Test
    void aCustomerMessageNobodyTakesIsRefusedEachTryThenUndeliverable() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        sandbox.server.setWebhooks("{\"url\":\"http://127.0.0.1:" + closed + "/hook\"}");

        sandbox.server.inbound(META_ID, "+4915100000004", "anyone?");

        await("the message given up").atMost(Duration.ofSeconds(20))
                .until(() -> sandbox.server.webhooks().path("inbound").path("undeliverable").asLong() == 1);
        JsonNode counts = sandbox.server.webhooks();
        assertThat(counts.path("inbound").path("posted").asLong()).isEqualTo(StatusWebhooks.MAX_TRIES);
        assertThat(counts.path("inbound").path("refused").asLong()).isEqualTo(StatusWebhooks.MAX_TRIES);
        assertThat(counts.path("inbound").path("answered_ok").asLong()).isZero();
        assertThat(counts.path("statuses").path("posted").asLong()).isZero();
        assertThat(counts.path("undeliverable").asLong()).isEqualTo(1);
    }
}
