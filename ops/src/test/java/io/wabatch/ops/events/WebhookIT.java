package io.wabatch.ops.events;

import io.wabatch.sender.ReadyJobs;
import io.wabatch.sender.SenderStack;
import io.wabatch.sender.TestChannel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.common.contract.InboundMessage;
import io.wabatch.common.contract.StatusEvent;
import io.wabatch.webhook.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The webhook receiver between the sandbox's signed status webhooks and Kafka: handshake, signature
 * and shared-header checks over real HTTP on loopback, and every status the sandbox decided arriving
 * in {@code wa.status} correlated to its job, however often and in whatever order it was posted.
 */
@Timeout(120)
class WebhookIT {

    private static final TestChannel CHANNEL = TestChannel.d360("hooks", 0, 200);
    private static final String SECRET = "app-secret-for-tests";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void answersTheHandshakeAndRefusesUnsignedAndForgedWebhooks() throws Exception {
        try (SenderStack stack = SenderStack.create("webhook-auth", List.of(CHANNEL));
                 EventServices services = new EventServices(stack)) {
            WebhookReceiver receiver = services.startReceiver(Map.of("webhook.app.secret", SECRET,
                    "webhook.verify.token", "let-me-in"));
            String base = "http://127.0.0.1:" + receiver.port() + "/webhook";

            HttpResponse<String> handshake = get(base + "?hub.mode=subscribe&hub.verify_token=let-me-in&hub.challenge=1158201444");
            assertThat(handshake.statusCode()).isEqualTo(200);
            assertThat(handshake.body()).isEqualTo("1158201444");
            assertThat(get(base + "?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1").statusCode())
                    .isEqualTo(403);

            byte[] body = statusBody("wamid.forged", "delivered", "v1|spring|spring/1|1");
            assertThat(post(base, body, Map.of()).statusCode()).as("no signature").isEqualTo(401);
            assertThat(post(base, body, Map.of("X-Hub-Signature-256", "sha256=" + sign("not-the-secret", body)))
                    .statusCode()).as("signed with another secret").isEqualTo(403);
            byte[] tampered = statusBody("wamid.forged", "read", "v1|spring|spring/1|1");
            assertThat(post(base, tampered, Map.of("X-Hub-Signature-256", "sha256=" + sign(SECRET, body))).statusCode())
                    .as("a valid signature of another body").isEqualTo(403);

            byte[] real = statusBody("wamid.real", "delivered", "v1|spring|spring/1|2");
            assertThat(post(base, real, Map.of("X-Hub-Signature-256", "sha256=" + sign(SECRET, real))).statusCode())
                    .isEqualTo(200);
            StatusEvent event = await().atMost(WAIT).until(() -> statuses(stack), l -> !l.isEmpty()).get(0);
            assertThat(event.wamid()).isEqualTo("wamid.real");
            assertThat(event.campaignId()).isEqualTo("spring");
            assertThat(event.jobId()).isEqualTo("spring/1");
            assertThat(event.generation()).isEqualTo(2);
            await("nothing refused reaches Kafka").during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                    .until(() -> statuses(stack).size() == 1);
            assertThat(statuses(stack)).as("nothing refused reached Kafka").hasSize(1);
            assertThat(stack.outputs().statusRecords().get(0).key()).isEqualTo("wamid.real".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void takes360dialogWebhooksByTheirSharedHeaderAndWritesInboundMessages() throws Exception {
        try (SenderStack stack = SenderStack.create("webhook-d360", List.of(CHANNEL));
                 EventServices services = new EventServices(stack)) {
            WebhookReceiver receiver = services.startReceiver(Map.of("webhook.shared.header", "X-Wabatch-Key",
                    "webhook.shared.secret", "shared-123"));
            String base = "http://127.0.0.1:" + receiver.port() + "/webhook";
            byte[] stop = ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":"
                    + "\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"phone_number_id\":\""
                    + CHANNEL.numberId() + "\"},\"contacts\":[{\"wa_id\":\"4915112345678\"}],\"messages\":[{\"from\":"
                    + "\"4915112345678\",\"id\":\"wamid.in1\",\"timestamp\":\"1765000000\",\"type\":\"text\",\"text\":"
                    + "{\"body\":\"STOP\"}}]}}]}]}").getBytes(StandardCharsets.UTF_8);
            assertThat(post(base, stop, Map.of("X-Wabatch-Key", "shared-12")).statusCode()).isEqualTo(403);
            assertThat(post(base, stop, Map.of()).statusCode()).isEqualTo(401);
            assertThat(post(base, stop, Map.of("X-Wabatch-Key", "shared-123")).statusCode()).isEqualTo(200);

            ConsumerRecord<byte[], byte[]> record = await().atMost(WAIT)
                    .until(() -> stack.outputs().inboundRecords(), l -> !l.isEmpty()).get(0);
            assertThat(record.key()).isEqualTo("4915112345678".getBytes(StandardCharsets.UTF_8));
            InboundMessage message = InboundMessage.decode(record.value());
            assertThat(message.text()).isEqualTo("STOP");
            assertThat(message.phoneNumberId()).isEqualTo(CHANNEL.numberId());
            assertThat(message.timestamp().getEpochSecond()).isEqualTo(1765000000L);
        }
    }

    @Test
    void everyStatusTheSandboxDecidedArrivesOnceDeduplicatedAndCorrelatedDespiteCopiesAndDisorder() throws Exception {
        try (SenderStack stack = SenderStack.create("webhook-e2e", List.of(CHANNEL));
                 EventServices services = new EventServices(stack)) {
            WebhookReceiver receiver = services.startReceiver(Map.of("webhook.app.secret", SECRET));
            stack.sandbox.setWebhooks("{\"url\":\"http://127.0.0.1:" + receiver.port() + "/webhook\",\"app_secret\":\""
                    + SECRET + "\",\"step\":20,\"read_share\":0.5,\"failed_share\":0.2,\"copies\":3,"
                    + "\"out_of_order\":true}");
            stack.startSender(Map.of());
            stack.publish(ReadyJobs.texts("hooked", CHANNEL.id(), 3, 200));
            stack.outputs().awaitResults("hooked", 200, WAIT);

            JsonNode truth = stack.sandbox.webhooks().path("numbers").path(CHANNEL.numberId());
            long decided = truth.path("sent").asLong() + truth.path("delivered").asLong() + truth.path("read").asLong()
                    + truth.path("failed").asLong();
            assertThat(truth.path("sent").asLong()).isEqualTo(200);
            assertThat(truth.path("failed").asLong()).as("about a fifth fail").isBetween(10L, 80L);
            await("every copy of every status in wa.status").atMost(WAIT)
                    .until(() -> statuses(stack).size() == decided * 3);
            List<StatusEvent> events = statuses(stack);
            Set<String> distinct = events.stream().map(e -> e.wamid() + "/" + e.status()).collect(Collectors.toSet());
            assertThat(distinct).as("deduplicated on (wamid, status)").hasSize((int) decided);
            Map<String, Long> byStatus = distinctByStatus(events);
            assertThat(byStatus.get("sent")).isEqualTo(truth.path("sent").asLong());
            assertThat(byStatus.get("delivered")).isEqualTo(truth.path("delivered").asLong());
            assertThat(byStatus.getOrDefault("read", 0L)).isEqualTo(truth.path("read").asLong());
            assertThat(byStatus.get("failed")).isEqualTo(truth.path("failed").asLong());
            assertThat(events).allSatisfy(e -> {
                assertThat(e.campaignId()).isEqualTo("hooked");
                assertThat(e.jobId()).startsWith("hooked/");
                assertThat(e.generation()).isEqualTo(1);
            });
            assertThat(events.stream().filter(e -> e.status().equals("failed")))
                    .allSatisfy(e -> assertThat(e.errorCode()).isIn(131026, 131049, 131050));
            assertThat(stack.sandbox.webhooks().path("refused").asLong()).as("every post answered 200").isZero();
            assertThat(stack.meters.get("wabatch.webhook.ack.latency").timer().count()).isEqualTo(decided * 3);
        }
    }

    private static Map<String, Long> distinctByStatus(List<StatusEvent> events) {
        Map<String, Set<String>> seen = new HashMap<>();
        events.forEach(e -> seen.computeIfAbsent(e.status(), s -> new java.util.HashSet<>()).add(e.wamid()));
        Map<String, Long> counts = new HashMap<>();
        seen.forEach((status, wamids) -> counts.put(status, (long) wamids.size()));
        return counts;
    }

    private static List<StatusEvent> statuses(SenderStack stack) {
        return stack.outputs().statusRecords().stream().map(r -> {
            try {
                return StatusEvent.decode(r.value());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    static byte[] statusBody(String wamid, String status, String token) {
        return ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\","
                + "\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"phone_number_id\":\"1\"},\"statuses\":[{"
                + "\"id\":\"" + wamid + "\",\"status\":\"" + status + "\",\"timestamp\":\"1765000000\",\"recipient_id\":"
                + "\"4915112345678\",\"biz_opaque_callback_data\":\"" + token + "\"}]}}]}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static String sign(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json");
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
