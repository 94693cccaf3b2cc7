package io.wabatch.ops.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.CampaignFunnel;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.control.CampaignCommand;
import io.wabatch.common.control.CampaignPolicy;
import io.wabatch.sandbox.api.stats.AcceptedMessage;
import io.wabatch.sender.ReadyJobs;
import io.wabatch.sender.SenderStack;
import io.wabatch.sender.TestChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The US marketing pause end to end: a marketing campaign's templates to +1 numbers that libphonenumber
 * places in the US are skipped before any API call and counted in the funnel under their own code;
 * Canadian and Jamaican +1 numbers are sent; a utility campaign, and a channel with the rule turned
 * off in its registry entry, send to US numbers. The sandbox's record of accepted messages is the judge.
 */
@Timeout(180)
class UsMarketingPauseIT {

    private static final org.slf4j.Logger FIGURES = org.slf4j.LoggerFactory.getLogger("figures");
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** New York, Los Angeles, Washington DC, San Francisco, New York (646). */
    private static final List<String> US = List.of("12125550142", "13105550199", "12025550173", "14155550132",
            "16465550110");
    /** Toronto, Vancouver, Toronto. */
    private static final List<String> CANADA = List.of("14165550101", "16045550111", "14165550188");
    /** Kingston: +1, and not the US. */
    private static final List<String> JAMAICA = List.of("18765550123");

    @TempDir
    Path state;

    @Test
    void usRecipientsOfAMarketingCampaignAreSkippedAndCanadianOnesSent() throws Exception {
        TestChannel on = TestChannel.d360("us-rule-on", 0, 100);
        TestChannel off = TestChannel.d360("us-rule-off", 1, 100).withUsMarketingPause(false);
        try (SenderStack stack = SenderStack.create("us-pause", List.of(on, off));
             EventServices services = new EventServices(stack);
             KafkaProducer<byte[], byte[]> control = producer(stack)) {
            services.startFunnel(state, Map.of());
            policy(control, stack, "spring", "marketing");
            policy(control, stack, "receipts", "utility");
            policy(control, stack, "spring-off", "marketing");
            stack.startSender(Map.of());

            List<ReadyJob> jobs = new ArrayList<>();
            List<String> everyone = new ArrayList<>(US);
            everyone.addAll(CANADA);
            everyone.addAll(JAMAICA);
            everyone.forEach(to -> jobs.add(template("spring", on.id(), to)));
            US.subList(0, 2).forEach(to -> jobs.add(template("receipts", on.id(), to)));
            US.forEach(to -> jobs.add(template("spring-off", off.id(), to)));
            stack.publish(jobs);

            Map<String, JobResult> spring = stack.outputs().awaitResults("spring", everyone.size(), WAIT);
            for (String to : US) {
                JobResult skipped = spring.get("spring/" + to);
                assertThat(skipped.outcome()).as("+%s", to).isEqualTo(Outcome.FAILED);
                assertThat(skipped.error().code()).isEqualTo("us_marketing_pause");
                assertThat(skipped.error().details()).contains("us_marketing_pause: false for channel " + on.id());
                assertThat(skipped.attempts()).isZero();
            }
            for (String to : concat(CANADA, JAMAICA)) {
                assertThat(spring.get("spring/" + to).outcome()).as("+%s", to).isEqualTo(Outcome.ACCEPTED);
            }
            assertThat(stack.outputs().awaitResults("receipts", 2, WAIT).values()).as("a utility campaign")
                    .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED));
            assertThat(stack.outputs().awaitResults("spring-off", US.size(), WAIT).values())
                    .as("the rule turned off for the channel")
                    .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED));

            assertThat(recipients(stack, on, "spring")).as("the API saw Canada and Jamaica only")
                    .containsExactlyInAnyOrderElementsOf(concat(CANADA, JAMAICA));
            assertThat(recipients(stack, on, "receipts")).containsExactlyInAnyOrderElementsOf(US.subList(0, 2));
            assertThat(recipients(stack, off, "spring-off")).containsExactlyInAnyOrderElementsOf(US);
            assertThat(stack.stats(on.id()).accepted()).isEqualTo(CANADA.size() + JAMAICA.size() + 2);
            assertThat(stack.meters.get("wabatch.dlq.records").tag("stage", "send").tag("code", "us_marketing_pause")
                    .counter().count()).isEqualTo(US.size());

            CampaignFunnel funnel = await("the funnel counts the skipped messages").atMost(WAIT)
                    .pollInterval(Duration.ofMillis(200)).until(() -> services.funnel("spring").orElse(null),
                            f -> f != null && f.finished() == everyone.size());
            assertThat(funnel.jobs()).isEqualTo(everyone.size());
            assertThat(funnel.accepted()).isEqualTo(CANADA.size() + JAMAICA.size());
            assertThat(funnel.failed()).isEqualTo(US.size());
            assertThat(funnel.failedByCode()).containsExactly(Map.entry("us_marketing_pause", (long) US.size()));
            FIGURES.info("US marketing pause: campaign of {} +1 numbers, {} US skipped (funnel us_marketing_pause: {}), "
                            + "{} Canadian and Jamaican sent (sandbox accepted {}); rule off: {} of {} US sent",
                    everyone.size(), US.size(), funnel.failedByCode().get("us_marketing_pause"),
                    CANADA.size() + JAMAICA.size(), recipients(stack, on, "spring").size(),
                    recipients(stack, off, "spring-off").size(), US.size());
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The recipients (digits) of the campaign's messages the sandbox accepted on the channel's number. */
    private static List<String> recipients(SenderStack stack, TestChannel channel, String campaign) {
        return stack.sandbox.messages(channel.numberId()).stream()
                .filter(m -> m.callback() != null && m.callback().startsWith("v1|" + campaign + "|"))
                .map(AcceptedMessage::to).map(to -> to.replace("+", "")).toList();
    }

    private static ReadyJob template(String campaign, String channel, String to) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "template");
        ObjectNode template = message.putObject("template").put("name", "spring_sale");
        template.putObject("language").put("code", "en_US");
        return ReadyJobs.job(campaign, campaign + "/" + to, channel, to, message, List.of(), 1);
    }

    private static void policy(KafkaProducer<byte[], byte[]> control, SenderStack stack, String campaign,
                               String category) throws Exception {
        control.send(new CampaignCommand(CampaignCommand.RUNNING, null, "publish", Instant.now(), null,
                new CampaignPolicy(category, null, null, null)).toRecord(stack.topics.control(), campaign))
                .get(10, TimeUnit.SECONDS);
    }

    private static KafkaProducer<byte[], byte[]> producer(SenderStack stack) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
