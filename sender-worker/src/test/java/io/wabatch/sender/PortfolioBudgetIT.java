package io.wabatch.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.control.CampaignCommand;
import io.wabatch.common.control.CampaignPolicy;
import io.wabatch.common.kafka.DeferTiers;
import io.wabatch.sandbox.kafka.KafkaTestBroker;
import io.wabatch.sender.config.SenderWorkerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Budgets of a business portfolio shared by its numbers across senders (issue 18, parts 5 and 6): two
 * numbers of one portfolio, each owned by another sender instance of one group, share the portfolio's
 * tier and its per-user marketing cap through the claims log. The sandbox counts the portfolio's unique
 * users and tier violations, as the API does.
 */
@Timeout(150)
@Tag("slow")
class PortfolioBudgetIT {

    private static final org.slf4j.Logger FIGURES = org.slf4j.LoggerFactory.getLogger("figures");
    private static final String PORTFOLIO = "4242";
    private static final DeferTiers TIERS = DeferTiers.parse("1s,4s");

    @Test
    void twoNumbersOfOnePortfolioOnTwoSendersReachTenUsersTogetherNotTwenty() throws Exception {
        TestChannel first = TestChannel.meta("tier-a", 0, 100).withTier(10).inPortfolio(PORTFOLIO, null);
        TestChannel second = TestChannel.meta("tier-b", 1, 100).withTier(10).inPortfolio(PORTFOLIO, null);
        try (SenderStack stack = SenderStack.create("portfolio-tier", List.of(first, second), b -> b, TIERS)) {
            stack.sandbox.setPolicy("{\"tiers\":{\"" + PORTFOLIO + "\":10},\"tier_window_ms\":120000}");
            Map<String, String> config = Map.of("policy.tier.window.ms", "120000");
            try (SenderWorker other = twoSenders(stack, config)) {
                List<ReadyJob> jobs = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    jobs.add(template("tier", "tier/a" + i, first.id(), ReadyJobs.recipient(4, i)));
                    jobs.add(template("tier", "tier/b" + i, second.id(), ReadyJobs.recipient(5, i)));
                }
                stack.publish(jobs);

                Map<String, JobResult> results = stack.outputs().awaitResults("tier", 10, Duration.ofSeconds(30));
                await("the other ten deferred for the tier").atMost(Duration.ofSeconds(20))
                        .until(() -> stack.outputs().deferredRecords().stream()
                                .map(r -> SenderOutputs.header(r, "wabatch.defer.reason")).filter("tier"::equals)
                                .count() >= 10);
                await("no result beyond the tier for 1 s").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                        .until(() -> stack.outputs().jobsWithResult("tier") == 10);
                results = stack.outputs().byJob("tier");

                assertThat(results.values()).hasSize(10).allMatch(r -> r.outcome() == Outcome.ACCEPTED);
                long accepted = stack.stats(first.id()).accepted() + stack.stats(second.id()).accepted();
                assertThat(accepted).as("unique users the portfolio's numbers reached together").isEqualTo(10);
                assertThat(stack.sandbox.policy().path("tier_violations").asLong()).isZero();
                assertThat(stack.sandbox.policy().at("/reached/portfolio:" + PORTFOLIO).asInt()).isEqualTo(10);
                FIGURES.info("portfolio tier: 2 numbers on 2 senders, tier 10, 20 users asked: {} accepted "
                        + "({} + {}), 0 tier violations", accepted, stack.stats(first.id()).accepted(),
                        stack.stats(second.id()).accepted());
            }
        }
    }

    @Test
    void twoOverlappingMarketingCampaignsOnTwoSendersRespectThePerUserCap() throws Exception {
        TestChannel first = TestChannel.meta("cap-a", 0, 100).inPortfolio(PORTFOLIO, 1);
        TestChannel second = TestChannel.meta("cap-b", 1, 100).inPortfolio(PORTFOLIO, 1);
        try (SenderStack stack = SenderStack.create("portfolio-cap", List.of(first, second), b -> b, TIERS)) {
            campaign(stack, "spring", CampaignPolicy.WAIT);
            campaign(stack, "autumn", CampaignPolicy.SKIP);
            try (SenderWorker other = twoSenders(stack, Map.of("policy.marketing.cap.window.ms", "120000"))) {
                List<ReadyJob> jobs = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    String user = ReadyJobs.recipient(6, i);
                    jobs.add(template("spring", "spring/" + i, first.id(), user));
                    jobs.add(template("autumn", "autumn/" + i, second.id(), user));
                }
                stack.publish(jobs);

                await("each user's one template, the skipped autumn ones and the waiting spring ones")
                        .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                            long spring = stack.outputs().jobsWithResult("spring");
                            long autumn = stack.outputs().jobsWithResult("autumn");
                            long waiting = stack.outputs().deferredRecords().stream().map(r ->
                                    SenderOutputs.header(r, "wabatch.defer.reason"))
                                    .filter("marketing_cap"::equals).count();
                            return autumn == 6 && spring + waiting >= 6;
                        });
                int settled = results(stack);
                await("no more results for 1 s").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                        .until(() -> results(stack) == settled);
                Map<String, JobResult> spring = stack.outputs().byJob("spring");
                Map<String, JobResult> autumn = stack.outputs().byJob("autumn");

                Map<String, Long> acceptedPerUser = new java.util.HashMap<>();
                for (JobResult r : concat(spring, autumn)) {
                    if (r.outcome() == Outcome.ACCEPTED) {
                        acceptedPerUser.merge(r.to(), 1L, Long::sum);
                    }
                }
                assertThat(acceptedPerUser).as("one marketing template per user in the window, not two")
                        .hasSize(6).allSatisfy((user, count) -> assertThat(count).isEqualTo(1));
                assertThat(spring.values()).as("a spring template over the cap waits: no result")
                        .allMatch(r -> r.outcome() == Outcome.ACCEPTED);
                List<JobResult> skipped = autumn.values().stream().filter(r -> r.outcome() != Outcome.ACCEPTED)
                        .toList();
                assertThat(skipped).as("autumn skips over the cap").hasSize(6 - (int) autumn.values().stream()
                        .filter(r -> r.outcome() == Outcome.ACCEPTED).count()).allSatisfy(r -> {
                            assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
                            assertThat(r.error().code()).isEqualTo("marketing_cap");
                            assertThat(r.error().details()).contains("business portfolio " + PORTFOLIO)
                                    .contains("--over-cap skip");
                        });
                assertThat(stack.stats(first.id()).accepted() + stack.stats(second.id()).accepted()).isEqualTo(6);
                FIGURES.info("marketing cap 1: 2 campaigns x 6 users on 2 senders: 6 accepted (spring {}, autumn {}), "
                        + "{} autumn skipped, {} spring waiting", spring.size(), autumn.size() - skipped.size(),
                        skipped.size(), 6 - spring.size());
            }
        }
    }

    /**
     * Starts the stack's sender and a second instance of its group, and waits until each owns one of the
     * two channels' partitions: the portfolio's numbers are then sent by two processes' worth of senders.
     */
    private static SenderWorker twoSenders(SenderStack stack, Map<String, String> config) throws Exception {
        stack.startSender(config);
        SenderWorker other = SenderWorker.start(new SenderWorkerConfig(stack.senderValues(config)), stack.registry,
                new SimpleMeterRegistry());
        await("one ready partition per sender").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    ConsumerGroupDescription group = KafkaTestBroker.admin().describeConsumerGroups(List.of(stack.groupId))
                            .all().get(10, TimeUnit.SECONDS).get(stack.groupId);
                    Set<Integer> owned = group.members().stream().map(MemberDescription::assignment)
                            .map(a -> a.topicPartitions().stream().filter(p -> p.topic().equals(stack.topics.ready()))
                                    .map(TopicPartition::partition).collect(Collectors.toSet()))
                            .filter(p -> p.size() == 1).flatMap(Set::stream).collect(Collectors.toSet());
                    return group.members().size() == 2 && owned.equals(Set.of(0, 1));
                });
        other.assigned().orTimeout(60, TimeUnit.SECONDS).join();
        return other;
    }

    /** Results of both campaigns so far (steady once every job that can go has gone). */
    private static int results(SenderStack stack) {
        return stack.outputs().jobsWithResult("spring") + stack.outputs().jobsWithResult("autumn");
    }

    private static void campaign(SenderStack stack, String campaign, String overCap) throws Exception {
        stack.publishControl(campaign, new CampaignCommand(CampaignCommand.RUNNING, null, "publish", Instant.now(), 6L,
                new CampaignPolicy("marketing", null, null, null, null, overCap)));
    }

    private static List<JobResult> concat(Map<String, JobResult> a, Map<String, JobResult> b) {
        List<JobResult> all = new ArrayList<>(a.values());
        all.addAll(b.values());
        return all;
    }

    private static ReadyJob template(String campaign, String jobId, String channel, String to) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "template");
        ObjectNode template = message.putObject("template").put("name", "spring_sale");
        template.putObject("language").put("code", "en_US");
        return ReadyJobs.job(campaign, jobId, channel, to, message, List.of(), 1);
    }
}
