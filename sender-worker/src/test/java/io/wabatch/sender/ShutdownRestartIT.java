package io.wabatch.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Outcome;
import io.wabatch.sandbox.api.stats.StatsSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender jar as an operator runs it, stopped with SIGTERM in the middle of a campaign and started
 * again: the first process drains its in-flight sends, produces their results and commits before it
 * exits 0, so the second sends only the rest and the API sees every message exactly once.
 */
// Measures rates or time bounds: runs alone, not beside another test class.
@org.junit.jupiter.api.parallel.Isolated
@Timeout(150)
class ShutdownRestartIT {

    private static final Logger FIGURES = LoggerFactory.getLogger("figures");
    private static final TestChannel CHANNEL = TestChannel.d360("sigterm", 0, 500);
    private static final int COUNT = 3_000;

    /** The process's endpoint on its free port: ready (a member, in touch with Kafka), its meters scraped. */
    private static void assertServesMetricsAndIsReady(ChildSender sender) throws Exception {
        java.net.URI ops = await("the metrics endpoint is logged").atMost(Duration.ofSeconds(30))
                .until(sender::opsEndpoint, java.util.Optional::isPresent).orElseThrow();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> ready = http.send(java.net.http.HttpRequest.newBuilder(
                ops.resolve("/health/ready")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        String metrics = http.send(java.net.http.HttpRequest.newBuilder(ops.resolve("/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("wabatch_sender_messages_total{channel=\"" + CHANNEL.id() + "\"")
                .contains("wabatch_kafka_consumer_lag{").contains("jvm_memory_used_bytes{")
                .contains("kafka_consumer_fetch_manager_").contains("vertx_http_client_");
    }

    @Test
    void sigtermMidCampaignThenRestartSendsEveryMessageExactlyOnce() throws Exception {
        Path dir = Files.createTempDirectory("sender-sigterm-");
        try (SenderStack stack = SenderStack.create("sigterm", List.of(CHANNEL))) {
            Map<String, String> config = new HashMap<>(stack.senderValues(Map.of()));
            config.put("channels.file", stack.registryFile(dir).toString());
            config.put("shutdown.drain.timeout.ms", "20000");
            stack.publish(ReadyJobs.texts("sigterm", CHANNEL.id(), 1, COUNT));

            long firstExit;
            long acceptedAtSigterm;
            try (ChildSender first = ChildSender.start(dir, "sender-1.log", config)) {
                await("1,000 accepted by the first sender").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(10))
                        .failFast("the first sender died", () -> !first.alive())
                        .until(() -> stack.stats(CHANNEL.id()).accepted() >= 1_000);
                assertServesMetricsAndIsReady(first);
                acceptedAtSigterm = stack.stats(CHANNEL.id()).accepted();
                long sigterm = System.nanoTime();
                int exit = first.terminate(Duration.ofSeconds(60));
                firstExit = (System.nanoTime() - sigterm) / 1_000_000;
                assertThat(exit).as("exit code after SIGTERM; log:%n%s", first.log()).isZero();
            }
            long acceptedByFirst = stack.stats(CHANNEL.id()).accepted();
            assertThat(acceptedByFirst).as("the first sender stopped mid-campaign").isLessThan(COUNT);
            await("a result for every message the first sender sent").atMost(Duration.ofSeconds(30))
                    .until(() -> stack.outputs().resultCount("sigterm") >= acceptedByFirst);
            assertThat(stack.outputs().resultCount("sigterm")).as("results produced before the exit")
                    .isEqualTo((int) acceptedByFirst);

            try (ChildSender second = ChildSender.start(dir, "sender-2.log", config)) {
                await("every message has a result").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                        .failFast("the second sender died", () -> !second.alive())
                        .until(() -> stack.outputs().jobsWithResult("sigterm") >= COUNT);
                Map<String, JobResult> results = stack.outputs().byJob("sigterm");
                StatsSnapshot stats = stack.stats(CHANNEL.id());
                FIGURES.info("sigterm: {} accepted when SIGTERM was sent, {} by the first sender after draining "
                                + "(exit {} ms after SIGTERM), {} in total; duplicates {} (token), {} (body)",
                        acceptedAtSigterm, acceptedByFirst, firstExit, stats.accepted(), stats.duplicates(),
                        stats.duplicateBodies());

                assertThat(results.values()).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED));
                assertThat(stack.outputs().resultCount("sigterm")).as("one result per message").isEqualTo(COUNT);
                assertThat(stats.duplicates()).as("duplicates (same callback token)").isZero();
                assertThat(stats.duplicateBodies()).as("duplicates (same recipient and body)").isZero();
                assertThat(stats.accepted()).isEqualTo(COUNT);
                assertThat(second.terminate(Duration.ofSeconds(60))).as("log:%n%s", second.log()).isZero();
            }
        } finally {
            try (Stream<Path> tree = Files.walk(dir)) {
                tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
