package io.wabatch.funnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wabatch.common.contract.CampaignFunnel;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.StatusEvent;
import io.wabatch.common.kafka.TopicNames;
import io.wabatch.common.kafka.Topics;
import io.wabatch.sandbox.kafka.KafkaTestBroker;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cost per campaign through the real topology on the shared test broker: statuses of mixed categories,
 * recipients (numbers of four countries, BSUID-only ones) and pricing types (regular, free entry point, free
 * customer service, conversation-based with and without billable), each message with sent, delivered and
 * often read each carrying pricing, every status written twice and all of them shuffled, go to
 * {@code wa.status}; the funnel's charged and free counts and its estimated cost must equal what this test
 * computes from its own plan and its own copy of the prices, not through the funnel's classes.
 */
@Timeout(180)
class CampaignCostIT {

    private static final String CAMPAIGN = "cost-mix";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final List<String> CATEGORIES = List.of("marketing", "marketing_lite", "utility", "authentication",
            "authentication_international");
    private static final String RATE_CARD = """
            currency: EUR
            default:
              marketing: 0.0615
              marketing_lite: 0.0500
              utility: 0.0248
              authentication: 0.0248
            calling_codes:
              "49":
                marketing: 0.1365
                utility: 0.0550
                authentication: 0.0550
              "+1":
                marketing: 0.0250
                utility: 0.0040
              "91":
                marketing: 0.0107
                authentication_international: 0.0280
            """;
    /** The test's own copy of the card (calling code 0: the default). */
    private static final Map<Integer, Map<String, String>> PRICES = Map.of(
            0, Map.of("marketing", "0.0615", "marketing_lite", "0.0500", "utility", "0.0248", "authentication", "0.0248"),
            49, Map.of("marketing", "0.1365", "utility", "0.0550", "authentication", "0.0550"),
            1, Map.of("marketing", "0.0250", "utility", "0.0040"),
            91, Map.of("marketing", "0.0107", "authentication_international", "0.0280"));

    /** A recipient as a status names it, and the calling code the test knows it has (0: none known). */
    private record Recipient(String number, String bsuid, int code) {
    }

    private static final List<Recipient> RECIPIENTS = List.of(
            new Recipient("49151234567", null, 49), new Recipient("1212555", null, 1),
            new Recipient("9198765432", null, 91), new Recipient("5511987654", null, 55),
            new Recipient(null, "US.134912086553027419", 1), new Recipient(null, "DE.883401", 49),
            new Recipient(null, "IN.ENT.1181579921", 91), new Recipient(null, "XX.777", 0));

    /** One message of the plan: how the platform prices it ({@code type} null: a CBP status). */
    private record Planned(String job, Recipient to, String category, String type, Boolean billable, int reached,
                           boolean failed) {
        String number() {
            return to.number == null ? null : to.number + job.substring(job.length() - 2);
        }

        boolean charged() {
            return !failed && ("regular".equals(type) || type == null && Boolean.TRUE.equals(billable));
        }
    }

    @TempDir
    Path dir;

    @Test
    void chargedCountsAndCostEqualWhatTheStatusesSayDespiteDuplicatesAndDisorder() throws Exception {
        TopicNames topics = TopicNames.withPrefix(KafkaTestBroker.uniqueTopic("cost"));
        Topics.create(KafkaTestBroker.admin(), topics.specs(2), (short) 1);
        List<Planned> plan = plan(new Random(19), 120);
        List<StatusEvent> statuses = statuses(plan);
        Collections.shuffle(statuses, new Random(5));

        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (FunnelAggregator funnel = FunnelAggregator.start(config(topics), meters)) {
            await("the funnel aggregator runs").atMost(Duration.ofSeconds(60)).until(funnel::running);
            produce(topics.status(), statuses);

            Map<String, Long> charged = new TreeMap<>();
            Map<String, Long> free = new TreeMap<>();
            BigDecimal cost = BigDecimal.ZERO;
            long unpriced = 0;
            for (Planned message : plan) {
                if (message.failed()) {
                    continue;
                }
                (message.charged() ? charged : free).merge(message.category(), 1L, Long::sum);
                if (message.charged()) {
                    String price = PRICES.getOrDefault(message.to().code(), Map.of()).get(message.category());
                    price = price != null ? price : PRICES.get(0).get(message.category());
                    if (price == null) {
                        unpriced++;
                    } else {
                        cost = cost.add(new BigDecimal(price));
                    }
                }
            }
            long sent = plan.stream().filter(m -> !m.failed()).count();
            long delivered = plan.stream().filter(m -> !m.failed() && m.reached() >= 2).count();
            long read = plan.stream().filter(m -> !m.failed() && m.reached() == 3).count();
            long failed = plan.size() - sent;
            // The delivery counts say every distinct status is in; the charges are then checked, not waited for.
            CampaignFunnel result = await("the funnel has every status").atMost(WAIT)
                    .until(() -> latest(topics.funnel()).orElse(null), f -> f != null && f.sent() == sent
                            && f.delivered() == delivered && f.read() == read && f.failed() == failed);

            assertThat(charged.values().stream().mapToLong(Long::longValue).sum()).as("the plan charges some")
                    .isBetween(30L, 90L);
            assertThat(result.charged()).isEqualTo(charged);
            assertThat(result.free()).isEqualTo(free);
            assertThat(result.currency()).isEqualTo("EUR");
            assertThat(result.estimatedCost()).isEqualByComparingTo(cost);
            assertThat(result.unpriced()).as("authentication_international outside +91 has no price").isEqualTo(unpriced)
                    .isPositive();
            assertThat(result.jobs()).isEqualTo(plan.size());

            long chargedMetric = Math.round(sum(meters, "wabatch.funnel.priced.messages", "regular")
                    + sum(meters, "wabatch.funnel.priced.messages", "other"));
            assertThat(chargedMetric).as("charged messages counted once each by the metric")
                    .isEqualTo(result.chargedTotal());
            assertThat(meters.get("wabatch.funnel.estimated.cost").counters().stream().mapToDouble(Counter::count)
                    .sum()).isCloseTo(cost.doubleValue(), org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    private static List<Planned> plan(Random random, int messages) {
        List<Planned> plan = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            String job = String.format("job-%03d", i);
            Recipient to = RECIPIENTS.get(random.nextInt(RECIPIENTS.size()));
            String category = CATEGORIES.get(random.nextInt(CATEGORIES.size()));
            int kind = random.nextInt(10);
            String type = kind < 5 ? "regular" : kind < 7 ? "free_entry_point" : kind == 7 ? null : kind == 8
                    ? "free_customer_service" : null;
            Boolean billable = kind == 7 ? Boolean.TRUE : kind == 9 ? Boolean.FALSE : null;
            if ("free_customer_service".equals(type)) {
                category = "service";
            }
            plan.add(new Planned(job, to, category, type, billable, 1 + random.nextInt(3), random.nextInt(12) == 0));
        }
        return plan;
    }

    /** Every status of the plan, twice; sent, delivered and read each carry pricing, a failed one none. */
    private static List<StatusEvent> statuses(List<Planned> plan) {
        List<StatusEvent> statuses = new ArrayList<>();
        for (Planned message : plan) {
            List<String> reached = message.failed() ? List.of(StatusEvent.FAILED)
                    : List.of(StatusEvent.SENT, StatusEvent.DELIVERED, StatusEvent.READ).subList(0, message.reached());
            for (String status : reached) {
                StatusEvent event = new StatusEvent("wamid." + message.job(), status, Instant.now(), message.number(),
                        "106540352242922", message.failed() ? List.of(new StatusEvent.StatusError(131026, "x", null))
                        : List.of(), message.failed() ? null : new StatusEvent.Pricing(message.category(),
                        message.billable(), message.type() == null ? "CBP" : "PMP", message.type()), CAMPAIGN,
                        message.job(), 0, Instant.now(), message.to().bsuid());
                statuses.add(event);
                statuses.add(event);
            }
        }
        return statuses;
    }

    private FunnelConfig config(TopicNames topics) throws Exception {
        Path card = Files.writeString(dir.resolve("rates.yaml"), RATE_CARD);
        Map<String, String> values = new HashMap<>(topics.asConfig());
        values.put("bootstrap.servers", KafkaTestBroker.bootstrapServers());
        values.put("group.id", "funnel-" + topics.funnel());
        values.put("funnel.state.dir", dir.resolve("state").toString());
        values.put("funnel.rate.card", card.toString());
        values.put("kafka.session.timeout.ms", "6000");
        values.put("kafka.heartbeat.interval.ms", "1000");
        return new FunnelConfig(values);
    }

    private static void produce(String topic, List<StatusEvent> statuses) {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (StatusEvent status : statuses) {
                producer.send(new ProducerRecord<>(topic, status.wamid().getBytes(StandardCharsets.UTF_8),
                        Json.bytes(status)));
            }
            producer.flush();
        }
    }

    /** The campaign's latest record in the funnel topic, read from the start. */
    private static Optional<CampaignFunnel> latest(String topic) throws Exception {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            CampaignFunnel latest = null;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (CAMPAIGN.equals(record.key())) {
                        latest = CampaignFunnel.decode(record.value());
                    }
                }
            }
            return Optional.ofNullable(latest);
        }
    }

    private static double sum(SimpleMeterRegistry meters, String name, String type) {
        return meters.get(name).tag("type", type).counters().stream().mapToDouble(Counter::count).sum();
    }
}
