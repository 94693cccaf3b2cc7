package io.wabatch.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wabatch.common.contract.InboundMessage;
import io.wabatch.common.contract.PlatformEvent;
import io.wabatch.common.contract.StatusEvent;
import io.wabatch.common.kafka.TopicException;
import io.wabatch.common.kafka.TopicNames;
import io.wabatch.common.kafka.Topics;
import io.wabatch.sandbox.kafka.KafkaTestBroker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole corpus ({@link Corpus}: every field and odd shape we know of, and bodies that are no
 * webhook), each posted twice, correctly signed, over real HTTP on loopback to a receiver writing to
 * the embedded broker: every POST is answered 200, every status lands in wa.status, every customer
 * message in wa.inbound, every other event in wa.platform.events and every unreadable body in
 * wa.webhooks.unparsed with its reason; nothing is dropped, and the second delivery of each event
 * carries the first one's dedupe key.
 */
@Timeout(120)
class WebhookCorpusIT {

    private static final String SECRET = "corpus-app-secret";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everySignedWebhookOfTheCorpusIsAnswered200AndKeptInItsTopicOncePerDedupeKey() throws Exception {
        TopicNames names = TopicNames.withPrefix("corpus" + UUID.randomUUID().toString().substring(0, 8));
        Topics.create(KafkaTestBroker.admin(), topicSpecs(names), (short) 1);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<Corpus.Case> corpus = Corpus.all();
        WebhookReceiver receiver = WebhookReceiver.start(config(names), meters);
        try {
            String url = "http://127.0.0.1:" + receiver.port() + "/webhook";
            for (int delivery = 1; delivery <= 2; delivery++) {
                for (Corpus.Case body : corpus) {
                    assertThat(post(url, body.body()).statusCode()).as("%s, delivery %d", body, delivery)
                            .isEqualTo(200);
                }
            }
        } finally {
            receiver.close();
        }
        int statuses = corpus.stream().mapToInt(Corpus.Case::statuses).sum();
        int inbound = corpus.stream().mapToInt(Corpus.Case::inbound).sum();
        int platform = corpus.stream().mapToInt(Corpus.Case::platform).sum();
        List<Corpus.Case> unparsed = corpus.stream().filter(c -> c.unparsed() != null).toList();
        assertThat(statuses).as("the corpus' statuses").isEqualTo(17);
        assertThat(inbound + platform + unparsed.size()).as("its other items").isEqualTo(10 + 20 + 7);

        Map<String, List<ConsumerRecord<byte[], byte[]>>> topics = readAll(names, Map.of(names.status(), 2 * statuses,
                names.inbound(), 2 * inbound, names.platformEvents(), 2 * platform,
                names.unparsedWebhooks(), 2 * unparsed.size()));
        assertTwicePerDedupeKey(topics.get(names.status()), statuses, r -> StatusEvent.decode(r.value()).dedupeKey());
        assertTwicePerDedupeKey(topics.get(names.inbound()), inbound,
                r -> InboundMessage.decode(r.value()).dedupeKey());
        assertTwicePerDedupeKey(topics.get(names.platformEvents()), platform,
                r -> PlatformEvent.decode(r.value()).dedupeKey());
        topics.get(names.inbound()).forEach(r -> assertThat(r.key()).as("keyed by the sender").isNotNull());
        topics.get(names.platformEvents()).forEach(r -> assertThat(new String(r.key(), StandardCharsets.UTF_8))
                .isEqualTo(decodePlatform(r).wabaId()));

        Map<String, Long> reasons = topics.get(names.unparsedWebhooks()).stream().collect(Collectors.groupingBy(
                r -> new String(r.headers().lastHeader(WebhookRecords.REASON_HEADER).value(), StandardCharsets.UTF_8),
                Collectors.counting()));
        assertThat(reasons).isEqualTo(unparsed.stream().collect(Collectors.groupingBy(Corpus.Case::unparsed,
                Collectors.summingLong(c -> 2L))));
        assertThat(topics.get(names.unparsedWebhooks())).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .as("the raw bodies").containsExactlyInAnyOrderElementsOf(
                        twice(unparsed.stream().map(c -> new String(c.body(), StandardCharsets.UTF_8)).toList()));

        assertThat(meters.get("wabatch.webhook.requests").tag("result", "accepted").counter().count())
                .isEqualTo(2.0 * corpus.size());
        assertThat(meters.get("wabatch.webhook.unparsed").tag("reason", "not_json").counter().count()).isEqualTo(6);
        assertThat(meters.get("wabatch.webhook.unparsed").tag("reason", "not_webhook").counter().count()).isEqualTo(6);
        assertThat(meters.get("wabatch.webhook.unparsed").tag("reason", "unreadable_item").counter().count())
                .isEqualTo(2);
        assertThat(meters.get("wabatch.webhook.events").tag("kind", "platform").counter().count())
                .isEqualTo(2.0 * platform);
    }

    @Test
    void refusesToStartWithoutThePlatformAndUnparsedTopics() throws Exception {
        TopicNames names = TopicNames.withPrefix("half" + UUID.randomUUID().toString().substring(0, 8));
        Topics.create(KafkaTestBroker.admin(), List.of(names.spec(names.status(), 1), names.spec(names.inbound(), 1)),
                (short) 1);
        assertThatThrownBy(() -> WebhookReceiver.start(config(names), new SimpleMeterRegistry()))
                .isInstanceOfSatisfying(TopicException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "topic " + names.platformEvents() + " does not exist; create the topics with 'wabatch topics "
                                + "create'",
                        "topic " + names.unparsedWebhooks() + " does not exist; create the topics with 'wabatch "
                                + "topics create'"));
    }

    private static PlatformEvent decodePlatform(ConsumerRecord<byte[], byte[]> record) {
        try {
            return PlatformEvent.decode(record.value());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Key {
        String of(ConsumerRecord<byte[], byte[]> record) throws IOException;
    }

    /** Every event arrived twice (two deliveries) with one dedupe key: downstream counts it once. */
    private static void assertTwicePerDedupeKey(List<ConsumerRecord<byte[], byte[]>> records, int events, Key key)
            throws IOException {
        Map<String, Integer> copies = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            copies.merge(key.of(record), 1, Integer::sum);
        }
        assertThat(copies).as("distinct dedupe keys").hasSize(events);
        assertThat(copies.values()).as("copies per dedupe key").containsOnly(2);
    }

    private static List<String> twice(List<String> items) {
        List<String> both = new ArrayList<>(items);
        both.addAll(items);
        return both;
    }

    private static List<io.wabatch.common.kafka.TopicSpec> topicSpecs(TopicNames names) {
        return List.of(names.spec(names.status(), 1), names.spec(names.inbound(), 1),
                names.spec(names.platformEvents(), 1), names.spec(names.unparsedWebhooks(), 1));
    }

    private static WebhookConfig config(TopicNames names) {
        Map<String, String> values = new HashMap<>();
        values.put("bootstrap.servers", KafkaTestBroker.bootstrapServers());
        values.put("webhook.host", "127.0.0.1");
        values.put("webhook.port", "0");
        values.put("webhook.app.secret", SECRET);
        for (String key : List.of("topic.status", "topic.inbound", "topic.platform.events", "topic.webhooks.unparsed")) {
            values.put(key, names.asConfig().get(key));
        }
        return new WebhookConfig(values);
    }

    /** Every record of each topic, waiting until it holds the count expected, then a moment for any extra. */
    private static Map<String, List<ConsumerRecord<byte[], byte[]>>> readAll(TopicNames names,
                                                                             Map<String, Integer> expected) {
        Map<String, List<ConsumerRecord<byte[], byte[]>>> read = new HashMap<>();
        expected.keySet().forEach(t -> read.put(t, new ArrayList<>()));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(expected.keySet().stream().map(t -> new TopicPartition(t, 0)).toList());
            consumer.seekToBeginning(consumer.assignment());
            Function<Boolean, Boolean> poll = exactly -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> read.get(r.topic()).add(r));
                return expected.entrySet().stream().allMatch(e -> exactly ? read.get(e.getKey()).size() == e.getValue()
                        : read.get(e.getKey()).size() >= e.getValue());
            };
            await("every event in its topic").atMost(WAIT).until(() -> poll.apply(false));
            await("nothing more than expected").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> poll.apply(true));
        }
        expected.forEach((topic, count) -> assertThat(read.get(topic)).as("records in %s", topic).hasSize(count));
        return read;
    }

    private HttpResponse<String> post(String url, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json")
                .header(WebhookAuth.SIGNATURE_HEADER, "sha256=" + HexFormat.of().formatHex(
                        WebhookAuth.hmac(io.wabatch.common.secret.Secret.of(SECRET), body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
