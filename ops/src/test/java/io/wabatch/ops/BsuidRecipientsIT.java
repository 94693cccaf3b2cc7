package io.wabatch.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.CallbackToken;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.Outcome;
import io.wabatch.ops.demo.DemoOptions;
import io.wabatch.ops.demo.DemoStack;
import io.wabatch.sandbox.api.SandboxConfig;
import io.wabatch.sandbox.api.stats.AcceptedMessage;
import io.wabatch.sandbox.api.templates.TemplateCatalogue;
import io.wabatch.sandbox.kafka.KafkaTestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Recipients by business-scoped user ID (whatsapp-api-facts §10) through the demo stack, published
 * with kcat: a batch mixing a number, the BSUID of a known number, the BSUID of a username user the
 * sandbox never saw a number for, and a recipient with both, is accepted once each, the BSUIDs sent
 * as {@code recipient}; a copy-code authentication template to a BSUID ends with 131062's reason.
 */
@Timeout(180)
class BsuidRecipientsIT {

    private static final String NUMBER = SandboxConfig.DEMO_D360_NUMBER_ID;

    private static Kcat kcat;
    private static DemoStack stack;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("bsuid-");
        kcat = Kcat.require(dir, KafkaTestBroker.bootstrapServers());
        stack = DemoStack.start(DemoOptions.forTest(KafkaTestBroker.bootstrapServers(),
                "bsuid-" + UUID.randomUUID().toString().substring(0, 8), Map.of()));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aCampaignMixingNumbersAndBsuidsIsAcceptedOncePerPerson() throws Exception {
        String campaign = "bsuid-" + UUID.randomUUID().toString().substring(0, 6);
        String known = stack.sandbox().bsuid(NUMBER, "4915201000002");
        String username = "US.98765432109876543210";
        String both = stack.sandbox().bsuid(NUMBER, "4915201000004");
        ObjectNode job = Json.mapper().createObjectNode().put("v", 1).put("job_id", campaign + "-0")
                .put("campaign_id", campaign).put("channel", DemoStack.D360_CHANNEL);
        ArrayNode recipients = job.putArray("recipients");
        recipients.add("+49 152 0100 0001").add(known).add(username);
        recipients.addObject().put("to", "+4915201000004").put("recipient", both);
        recipients.add(known); // the same person again: dropped
        job.putObject("message").put("type", "text").putObject("text").put("body", "Your parcel has shipped.");
        publish(job);

        Map<String, List<JobResult>> results = awaitResults(campaign, 4);
        assertThat(results.values()).allSatisfy(list -> assertThat(list).singleElement()
                .satisfies(r -> assertThat(r.outcome()).as(r.jobId() + " " + r.error()).isEqualTo(Outcome.ACCEPTED)));
        assertThat(results.values().stream().map(l -> l.get(0).to()).toList())
                .containsExactlyInAnyOrder("4915201000001", known, username, "4915201000004");
        List<AcceptedMessage> sent = stack.sandbox().messages(NUMBER).stream()
                .filter(m -> m.callback() != null && campaign.equals(CallbackToken.parse(m.callback()).campaignId()))
                .toList();
        assertThat(sent).as("each person accepted once").hasSize(4)
                .extracting(m -> CallbackToken.parse(m.callback()).jobId()).doesNotHaveDuplicates();
        assertThat(sent).filteredOn(m -> known.equals(m.userId())).singleElement()
                .satisfies(m -> assertThat(m.to()).as("the BSUID reached its number's person").isEqualTo("4915201000002"));
        assertThat(sent).filteredOn(m -> username.equals(m.userId())).singleElement()
                .satisfies(m -> assertThat(m.to()).as("a username user: no number").isNull());
    }

    @Test
    void aCopyCodeAuthenticationTemplateToABsuidFailsWith131062() throws Exception {
        String campaign = "otp-" + UUID.randomUUID().toString().substring(0, 6);
        stack.sandbox().setTemplates(stack.sandbox().wabaId(NUMBER), TemplateCatalogue.sample());
        try {
            ObjectNode job = Json.mapper().createObjectNode().put("v", 1).put("job_id", campaign + "-0")
                    .put("campaign_id", campaign).put("channel", DemoStack.D360_CHANNEL)
                    .put("recipient", stack.sandbox().bsuid(NUMBER, "4915201000009"));
            ObjectNode template = job.putObject("message").put("type", "template").putObject("template")
                    .put("name", "login_code");
            template.putObject("language").put("code", "en_US");
            ArrayNode components = template.putArray("components");
            components.addObject().put("type", "body").putArray("parameters").addObject().put("type", "text")
                    .put("text", "483920");
            components.addObject().put("type", "button").put("sub_type", "url").put("index", "0")
                    .putArray("parameters").addObject().put("type", "text").put("text", "483920");
            publish(job);

            JobResult result = awaitResults(campaign, 1).get(campaign + "-0").get(0);
            assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(result.error().code()).isEqualTo("131062");
            assertThat(result.error().details()).containsIgnoringCase("business-scoped user id");
        } finally {
            stack.sandbox().setTemplates(stack.sandbox().wabaId(NUMBER), (TemplateCatalogue) null);
        }
    }

    private static void publish(ObjectNode job) throws Exception {
        Kcat.Result sent = kcat.publish(stack.topics().jobs(), 0, Json.bytes(job), job.get("job_id").asText(), null);
        assertThat(sent.exit()).as("kcat: %s", sent.output()).isZero();
    }

    private static Map<String, List<JobResult>> awaitResults(String campaign, int count) throws Exception {
        Map<String, List<JobResult>> results = new HashMap<>();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(stack.topics().results())
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await(count + " results of " + campaign).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ZERO)
                    .until(() -> {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                            JobResult result = Json.read(r.value(), JobResult.class);
                            if (campaign.equals(result.campaignId())) {
                                results.computeIfAbsent(result.jobId(), k -> new ArrayList<>()).add(result);
                            }
                        }
                        return results.values().stream().mapToInt(List::size).sum() >= count;
                    });
        }
        return results;
    }
}
