package io.wabatch.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.kafka.Outputs;
import io.wabatch.sandbox.api.Faults;
import io.wabatch.sandbox.api.Latency;
import io.wabatch.sandbox.api.Storm;
import io.wabatch.sandbox.api.stats.AcceptedMessage;
import io.wabatch.sandbox.api.stats.StatsSnapshot;
import io.wabatch.sandbox.kafka.EmbeddedKafkaBroker;
import io.wabatch.sandbox.kafka.KafkaTestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reliability issue's fault tests of the sender: 12,000 messages each, the sender jar as child
 * processes (real SIGKILL and SIGTERM), a real broker, the sandbox as the judge. Each test checks, from
 * outside the sender, that no job is lost (every job has a final result, see {@link CampaignAudit}) and
 * that the API never got a message twice (the sandbox's {@code duplicates} and {@code duplicate_bodies}).
 *
 * <p>Time constants are scaled down so a campaign takes tens of seconds: two channels (one 360dialog, one Meta) at
 * 350 mps each at the sandbox and in the registry, so one sender paces at 2 × 332 msg/s. The pace, not
 * the CPU, bounds the rate: two scenarios share a 2-core machine, where senders aimed at 2 × 950 msg/s
 * reached about 700 msg/s, so each phase of a campaign (a third, a kill point) lasts a known minimum
 * time, long enough for a sender's start or a rebalance to fall inside it. The campaign lasts 18 s at
 * full pace. The pair window is 200 ms; a sender's group session lasts 6 s (the broker's minimum,
 * instead of 45 s), so a killed sender's partitions are reassigned within seconds. The broker outage
 * (10 s, the 20 s halved) still outlasts the group session; the 429 storm (15 s, the issue's
 * 30 s halved) still outlasts the 10 s the pace takes to fall to its floor and be refused there three
 * times (see {@link #STORM}).
 *
 * <p>The seed of the random choices (kill points, the sandbox's fault draws) is logged; rerun one with
 * {@code -Dfaults.seed=<seed>}. The sandbox's draws also depend on the order requests arrive in, so a
 * seed reproduces the kill points exactly and the faults only statistically.
 *
 * <p>The scenarios run two at a time (see {@code junit-platform.properties}; the methods, not the
 * class, are concurrent, so no other test class runs beside them): each has its own topics, sandbox
 * and senders, and much of each is waiting.
 */
// Measures rates or time bounds: runs alone, not beside another test class.
@org.junit.jupiter.api.parallel.Isolated
@Tag("slow")
class FaultToleranceIT {

    private static final Logger FIGURES = LoggerFactory.getLogger("figures");
    private static final int COUNT = 12_000;
    private static final List<TestChannel> CHANNELS = List.of(TestChannel.d360("faults-a", 0, 350),
            TestChannel.meta("faults-b", 1, 350));
    /**
     * The broker's absence: longer than the group session (6 s), which must not expire while its
     * coordinator is down, and well within the client timeouts that make a minute the limit.
     */
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    /**
     * The 429 storm: the sender's default pace settings cut the pace by 0.7 at most once a second, so
     * it reaches the floor (10 %) after 7 cuts (0.7^7 &lt; 0.1) and clears its ceiling after 3 more
     * refusals there, about 10 s into the storm; 15 s leaves a margin for a loaded machine.
     */
    private static final Duration STORM = Duration.ofSeconds(15);
    /**
     * The longest event-loop block the broker outage may come with. Sends to the broker happen only in
     * the outage's first second (results of the calls already made), so a send that blocked the event
     * loop for want of the broker would block it for about the rest of the outage (9 s) or
     * {@code max.block.ms} (60 s); Vert.x reports blocks over 2 s, which a loaded 2-core machine causes
     * now and then by itself. 5 s tells the two apart (the bound the 20 s outage had as a quarter of it).
     */
    private static final Duration LONGEST_BLOCK = Duration.ofSeconds(5);
    /** Calls last long enough that many are in flight at any moment (about 40 at 665 msg/s). */
    private static final Latency LATENCY = Latency.uniform(Duration.ofMillis(20), Duration.ofMillis(100));
    private static final Duration CAMPAIGN = Duration.ofSeconds(150);
    private static final long SEED = Long.getLong("faults.seed", System.nanoTime());
    /**
     * Each sender process lives seconds: C2 compilation would cost more CPU than it saves on 2 cores
     * (measured: 30 s of CPU with C2, 12 s with C1 only, for the same 15,000 messages). Nothing the
     * tests check depends on the compiler.
     */
    private static final List<String> SENDER_JVM = List.of("-XX:TieredStopAtLevel=1");

    private Path dir;
    private Duration senderCpu = Duration.ZERO;

    /** The senders' working directory: their logs stay in {@code target/fault-tolerance/} for a look after a run. */
    @BeforeEach
    void directory(TestInfo test) throws Exception {
        Path parent = Files.createDirectories(Path.of("target", "fault-tolerance").toAbsolutePath());
        dir = Files.createTempDirectory(parent, test.getTestMethod().map(m -> m.getName()).orElse("test") + "-");
    }

    /**
     * Three SIGKILLs, each when the API has accepted a number of messages drawn at random from its own
     * quarter of the campaign (10–35 %, 35–60 %, 60–85 %), with 20–100 ms API latency so calls are in
     * flight; a new process starts right after each kill. No job is lost; the tokens the API accepted
     * twice are a subset of the jobs the ledger reported in doubt, and with the default policy
     * ({@code send.in.doubt=park}) there are none.
     */
    @Test
    @Execution(ExecutionMode.CONCURRENT)
    @Timeout(240)
    void threeSigkillsAtRandomMomentsLoseNothingAndSendNothingTwice() throws Exception {
        Random random = new Random(SEED);
        long[] killPoints = new long[3];
        for (int k = 0; k < killPoints.length; k++) {
            killPoints[k] = Math.round(COUNT * (0.10 + 0.25 * k + 0.25 * random.nextDouble()));
        }
        FIGURES.info("faults, SIGKILL: seed {}, kills when the API has accepted {} messages", SEED,
                Arrays.toString(killPoints));
        try (SenderStack stack = SenderStack.create("faults-kill", CHANNELS, b -> b.latency(LATENCY))) {
            Map<String, String> config = senderConfig(stack, Map.of());
            List<String> jobs = publish(stack, "kill");
            long begin = System.nanoTime();
            List<String> kills = new ArrayList<>();
            for (int k = 0; k < killPoints.length; k++) {
                long point = killPoints[k];
                try (ChildSender sender = startSender("sender-" + (k + 1) + ".log", config)) {
                    await("the API accepted " + point).atMost(CAMPAIGN).pollInterval(Duration.ofMillis(5))
                            .failFast("the sender died", () -> !sender.alive())
                            .until(() -> accepted(stack) >= point);
                    kill(sender);
                }
                long at = accepted(stack);
                kills.add(at + " accepted at " + millisSince(begin) + " ms");
                assertThat(at).as("kill %d is mid-campaign", k + 1).isLessThan(COUNT);
            }
            try (ChildSender last = startSender("sender-4.log", config)) {
                awaitEveryJob(stack, "kill", last);
                long finished = millisSince(begin);
                terminate(last);
                stack.outputs().awaitCaughtUp(Duration.ofSeconds(30));
                CampaignAudit audit = audit(stack, "kill", jobs);
                FIGURES.info("faults, SIGKILL: {} messages, kills at [{}], all results after {} ms, senders' CPU {} s; "
                                + "{}; API: {}", COUNT, String.join(", ", kills), finished, senderCpu.toSeconds(),
                        audit.describe(), apiFigures(stack));

                assertNothingLost(audit);
                assertThat(audit.finals().values()).as("final outcomes")
                        .allSatisfy(o -> assertThat(o).isIn(Outcome.ACCEPTED, Outcome.PARKED));
                assertThat(outside(audit.withFinal(Outcome.PARKED), audit.reported()))
                        .as("parked jobs that the ledger did not report in doubt").isEmpty();
                assertThat(outside(audit.acceptedTwice(), audit.reported()))
                        .as("tokens the API accepted twice, of jobs not reported in doubt").isEmpty();
                assertNoDuplicates(stack, audit);
            }
        }
    }

    /**
     * Sender A alone; at a quarter of the campaign sender B joins the group and the partitions are split
     * between them (A drains what it gives up; the rest of the campaign lasts 13 s at full pace, room for
     * B's start and the split on a loaded machine); once B owns a partition and at least a twentieth of the
     * campaign went out with both senders running, and not before two thirds, A is stopped with SIGTERM
     * and B takes over its partition. Both rebalances are graceful, so every job ends accepted, once.
     */
    @Test
    @Execution(ExecutionMode.CONCURRENT)
    @Timeout(180)
    void aSenderJoiningAndOneLeavingMidCampaignLoseNothingAndSendNothingTwice() throws Exception {
        try (SenderStack stack = SenderStack.create("faults-rebalance", CHANNELS, b -> b.latency(LATENCY))) {
            Map<String, String> config = senderConfig(stack, Map.of());
            List<String> jobs = publish(stack, "rebalance");
            long begin = System.nanoTime();
            ChildSender a = startSender("sender-a.log", config);
            try (a) {
                awaitAccepted(stack, COUNT / 4, a);
                long join = accepted(stack);
                long joinAt = millisSince(begin);
                try (ChildSender b = startSender("sender-b.log", config)) {
                    await("both senders own a partition").atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(100))
                            .failFast("a sender died", () -> !a.alive() || !b.alive())
                            .until(() -> owners(stack).equals(List.of(1, 1)));
                    long split = accepted(stack);
                    awaitAccepted(stack, Math.max(2 * COUNT / 3, split + COUNT / 20), a);
                    long leave = accepted(stack);
                    long leaveAt = millisSince(begin);
                    assertThat(leave).as("A leaves mid-campaign").isLessThan(COUNT);
                    terminate(a);
                    await("B owns both partitions").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                            .failFast("B died", () -> !b.alive())
                            .until(() -> owners(stack).equals(List.of(2)));
                    awaitEveryJob(stack, "rebalance", b);
                    long finished = millisSince(begin);
                    terminate(b);
                    stack.outputs().awaitCaughtUp(Duration.ofSeconds(30));
                    CampaignAudit audit = audit(stack, "rebalance", jobs);
                    FIGURES.info("faults, rebalance: {} messages; B started at {} accepted ({} ms), the partitions "
                                    + "were split at {} accepted; A stopped at {} accepted ({} ms); all results after "
                                    + "{} ms, senders' CPU {} s; {}; API: {}", COUNT, join, joinAt, split, leave, leaveAt,
                            finished, senderCpu.toSeconds(), audit.describe(), apiFigures(stack));

                    assertNothingLost(audit);
                    assertThat(audit.finals().values()).as("graceful rebalances leave nothing in doubt")
                            .allSatisfy(o -> assertThat(o).isEqualTo(Outcome.ACCEPTED));
                    assertNoDuplicates(stack, audit);
                    assertThat(accepted(stack)).as("accepted by the API").isEqualTo(COUNT);
                }
            }
        }
    }

    /**
     * The broker stops at a third of the campaign and comes back 10 s later on the same ports and data
     * (a broker of this test's own: the shared one serves other test classes). The sender process rides
     * it out without a restart, and finishes the campaign; no job is lost, none is sent twice.
     *
     * <p>Why 20 s is survivable with the default client settings: a record already handed to the
     * producer is retried until {@code delivery.timeout.ms} (120 s); a new {@code send()} waits up to
     * {@code max.block.ms} (60 s) for the topic's metadata, which the producer drops when the broker goes
     * away (on the loop's thread for results, on the ledger's writer thread for attempts, never on the
     * event loop: the test checks Vert.x never saw it blocked); the poll thread's {@code commitSync}
     * gives up after {@code default.api.timeout.ms} (60 s); the poll thread keeps polling (a poll
     * without a broker returns nothing), so {@code max.poll.interval.ms} (5 min) is never reached; the
     * group session (6 s here) does not expire while its coordinator is down, since a coordinator that
     * loads the group again gives every member a fresh session. So about a minute is the limit, not
     * the 20 s of the issue nor the 10 s here. No API call is made during the outage that was not cleared before: each needs an
     * acknowledged ledger attempt, so at most the window (512) can go out.
     */
    @Test
    @Execution(ExecutionMode.CONCURRENT)
    @Timeout(240)
    void aBrokerDownLongerThanTheGroupSessionMidCampaignIsRiddenOutByTheSameProcess() throws Exception {
        Duration outage = OUTAGE;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
             SenderStack stack = SenderStack.onBroker("faults-broker", CHANNELS, b -> b.latency(LATENCY),
                     broker.bootstrapServers(), admin)) {
            Map<String, String> config = senderConfig(stack, Map.of());
            List<String> jobs = publish(stack, "broker");
            long begin = System.nanoTime();
            try (ChildSender sender = startSender("sender.log", config)) {
                long pid = sender.pid();
                awaitAccepted(stack, COUNT / 3, sender);
                long atStop = accepted(stack);
                long stopping = System.nanoTime();
                broker.stop();
                long stopMs = millisSince(stopping);
                long atDown = accepted(stack);
                long down = System.nanoTime();
                await("the sender lives through " + outage + " without its broker").during(outage)
                        .atMost(outage.plusSeconds(10)).pollInterval(Duration.ofMillis(200))
                        .until(sender::alive);
                long atRestart = accepted(stack);
                long downMs = millisSince(down);
                long restarting = System.nanoTime();
                broker.restart();
                long restartMs = millisSince(restarting);
                awaitEveryJob(stack, "broker", sender);
                long finished = millisSince(begin);
                assertThat(sender.alive()).as("the same sender process finished the campaign").isTrue();
                assertThat(sender.pid()).isEqualTo(pid);
                long longestBlock = longestEventLoopBlock(sender.log());
                terminate(sender);
                stack.outputs().awaitCaughtUp(Duration.ofSeconds(30));
                CampaignAudit audit = audit(stack, "broker", jobs);
                FIGURES.info("faults, broker outage: {} messages; broker stopping at {} accepted, down at {} (stop "
                                + "took {} ms), down {} ms, {} accepted while down, restart took {} ms; all results "
                                + "after {} ms by the same process (CPU {} s, event loop blocked {} ms at most); {}; "
                                + "API: {}", COUNT, atStop, atDown, stopMs, downMs, atRestart - atDown, restartMs,
                        finished, senderCpu.toSeconds(), longestBlock, audit.describe(), apiFigures(stack));

                assertNothingLost(audit);
                assertThat(longestBlock).as("the longest event-loop block Vert.x reported, ms (the broker's absence "
                        + "must not stall the event loop)").isLessThan(LONGEST_BLOCK.toMillis());
                assertThat(atRestart - atDown).as("calls made while the broker was down (each needs an attempt "
                        + "acknowledged before, so at most a window's worth)").isLessThanOrEqualTo(512);
                assertThat(audit.finals().values()).as("final outcomes")
                        .allSatisfy(o -> assertThat(o).isIn(Outcome.ACCEPTED, Outcome.PARKED));
                assertThat(outside(audit.withFinal(Outcome.PARKED), audit.reported()))
                        .as("parked jobs that the ledger did not report in doubt").isEmpty();
                assertNoDuplicates(stack, audit);
            }
        }
    }

    /**
     * API faults for the whole run: 5 % HTTP 500, 2 % never answered, 1 % connection resets. The sandbox
     * applies one fault mode at a time, so the test switches it between {@code before_accept} and
     * {@code after_accept} every second: about half of the faults strike after acceptance (the API sent
     * the message, the answer is lost). At three quarters of the campaign a 15 s storm ({@link #STORM})
     * answers every call with 130429 at HTTP 429: the pace falls to its floor and,
     * refused there too, forgets the ceiling, so it climbs back to the full pace once the storm passed.
     * The request timeout is 2 s, so held requests time out quickly.
     *
     * <p>Every job ends accepted or parked (a lost answer, never resent), dead-lettered with its reason;
     * none fails, since a rate limit never spends a job's attempts; the API never saw a body
     * twice. From the sandbox's view: every job it accepted ended accepted or parked; every job reported
     * accepted was accepted by it; every injected fault parked one job. The counts are bounds where the
     * machine's timing enters: an answer that takes longer than the 2 s timeout on a loaded machine is
     * parked too (the sender cannot tell it from a held request), so there can be more parked jobs than
     * faults, and an HTTP 500 that arrives late is parked as "no answer".
     */
    @Test
    @Execution(ExecutionMode.CONCURRENT)
    @Timeout(240)
    void apiFaultsAndARateLimitStormPastThePaceFloorEndEveryJobAcceptedParkedOrDeadLettered() throws Exception {
        Faults before = Faults.beforeAccept(0.05, 0.02, 0.01).withMaxHold(Duration.ofSeconds(10));
        Faults after = Faults.afterAccept(0.05, 0.02, 0.01).withMaxHold(Duration.ofSeconds(10));
        Duration stormLength = STORM;
        ScheduledExecutorService switcher = Executors.newSingleThreadScheduledExecutor();
        try (SenderStack stack = SenderStack.create("faults-api", CHANNELS, b -> b.faults(before).seed(SEED))) {
            Map<String, String> config = senderConfig(stack, Map.of("http.request.timeout.ms", "2000"));
            List<String> jobs = publish(stack, "api");
            AtomicBoolean afterMode = new AtomicBoolean();
            switcher.scheduleAtFixedRate(() -> stack.sandbox.setFaults(afterMode.getAndSet(!afterMode.get())
                    ? before : after), 1, 1, TimeUnit.SECONDS);
            long begin = System.nanoTime();
            try (ChildSender sender = startSender("sender.log", config)) {
                awaitAccepted(stack, 3 * COUNT / 4, sender);
                long atStorm = accepted(stack);
                long stormAt = millisSince(begin);
                stack.sandbox.startStorm(Storm.rateLimit(null, stormLength, 429));
                awaitEveryJob(stack, "api", sender);
                long finished = millisSince(begin);
                switcher.shutdownNow();
                terminate(sender);
                stack.outputs().awaitCaughtUp(Duration.ofSeconds(30));
                CampaignAudit audit = audit(stack, "api", jobs);
                Map<String, Long> faults = faultsByKind(stack);
                long http500 = faults.getOrDefault("http500", 0L) + faults.getOrDefault("http500_after_accept", 0L);
                long beforeAccept = faults.getOrDefault("http500", 0L) + faults.getOrDefault("timeout", 0L)
                        + faults.getOrDefault("reset", 0L);
                long afterAccept = faults.getOrDefault("http500_after_accept", 0L)
                        + faults.getOrDefault("timeout_after_accept", 0L) + faults.getOrDefault("reset_after_accept", 0L);
                Set<String> accepted = audit.withFinal(Outcome.ACCEPTED);
                Set<String> parked = audit.withFinal(Outcome.PARKED);
                long parked500 = parked.stream().map(j -> audit.finalResults().get(j).error().httpStatus())
                        .filter(status -> status != null && status == 500).count();
                Set<String> parkedButSent = new HashSet<>(parked);
                parkedButSent.retainAll(audit.acceptedByApi());
                FIGURES.info("faults, API faults and storm: seed {}, {} messages; storm of {} from {} accepted ({} ms); "
                                + "all results after {} ms, sender's CPU {} s; {}; parked {} for HTTP 500, {} for no "
                                + "answer, {} of them sent by the API, {} more than faults (answers later than the "
                                + "timeout); faults {}; API: {}", SEED, COUNT, stormLength, atStorm, stormAt, finished,
                        senderCpu.toSeconds(), audit.describe(), parked500, parked.size() - parked500,
                        parkedButSent.size(), parked.size() - beforeAccept - afterAccept, faults, apiFigures(stack));
                CHANNELS.forEach(c -> FIGURES.info("faults, API faults and storm: {} accepted per second {}", c.id(),
                        PerSecond.describe(stack.stats(c.id()))));

                assertNothingLost(audit);
                assertThat(audit.resultRecords()).as("one result per job").isEqualTo(COUNT);
                assertThat(audit.finals().values()).as("final outcomes")
                        .allSatisfy(o -> assertThat(o).isIn(Outcome.ACCEPTED, Outcome.PARKED));
                assertThat(parked).as("parked jobs are in doubt").isEqualTo(audit.reported());
                assertDeadLettered(stack, audit, parked, Set.of());

                assertThat(beforeAccept).as("faults before acceptance").isPositive();
                assertThat(afterAccept).as("faults after acceptance").isPositive();
                assertThat(faults.getOrDefault("storm", 0L)).as("calls answered by the storm").isPositive();
                assertThat(audit.acceptedByApi()).as("every job the API accepted ended accepted or parked")
                        .allSatisfy(j -> assertThat(audit.finals().get(j)).isIn(Outcome.ACCEPTED, Outcome.PARKED));
                assertThat(accepted(stack)).as("the API's accepted: jobs accepted + parked jobs it sent")
                        .isEqualTo(accepted.size() + parkedButSent.size());
                assertThat((long) parked.size()).as("a parked job per injected fault, at least")
                        .isGreaterThanOrEqualTo(beforeAccept + afterAccept);
                assertThat((long) parkedButSent.size()).as("parked jobs the API sent: one per fault after acceptance, "
                        + "at least").isGreaterThanOrEqualTo(afterAccept);
                assertThat(parked500).as("parked for an HTTP 500: only injected ones").isLessThanOrEqualTo(http500);
                assertNoDuplicates(stack, audit);
            }
        } finally {
            switcher.shutdownNow();
        }
    }

    private ChildSender startSender(String log, Map<String, String> config) throws Exception {
        return ChildSender.start(dir, log, config, SENDER_JVM);
    }

    private void kill(ChildSender sender) throws Exception {
        senderCpu = senderCpu.plus(sender.cpu());
        sender.kill();
    }

    private void terminate(ChildSender sender) throws Exception {
        senderCpu = senderCpu.plus(sender.cpu());
        assertThat(sender.terminate(Duration.ofSeconds(60))).as("exit code after SIGTERM; log:%n%s", sender.log())
                .isZero();
    }

    /** The child sender's configuration: the stack's, the registry file, a 6 s group session, then {@code extra}. */
    private Map<String, String> senderConfig(SenderStack stack, Map<String, String> extra) throws Exception {
        Map<String, String> config = new HashMap<>(stack.senderValues(Map.of()));
        config.put("channels.file", stack.registryFile(dir).toString());
        // A killed member's partitions wait for its session to expire: the broker's minimum, not the 45 s default.
        config.put("kafka.session.timeout.ms", "6000");
        config.put("kafka.heartbeat.interval.ms", "1000");
        config.putAll(extra);
        return config;
    }

    /** {@link #COUNT} text jobs to distinct recipients, alternating between the channels; returns their ids. */
    private static List<String> publish(SenderStack stack, String campaign) {
        List<ReadyJob> jobs = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            jobs.add(ReadyJobs.text(campaign, campaign + "/" + i, CHANNELS.get(i % CHANNELS.size()).id(),
                    ReadyJobs.recipient(1, i)));
        }
        stack.publish(jobs);
        return jobs.stream().map(ReadyJob::jobId).toList();
    }

    private static void awaitAccepted(SenderStack stack, long count, ChildSender sender) {
        await("the API accepted " + count).atMost(CAMPAIGN).pollInterval(Duration.ofMillis(10))
                .failFast("the sender died", () -> !sender.alive())
                .until(() -> accepted(stack) >= count);
    }

    private static void awaitEveryJob(SenderStack stack, String campaign, ChildSender sender) {
        try {
            await("a result for every job of " + campaign).atMost(CAMPAIGN).pollInterval(Duration.ofMillis(50))
                    .failFast("the sender died", () -> !sender.alive())
                    .until(() -> stack.outputs().jobsWithResult(campaign) >= COUNT);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + ": " + stack.outputs().jobsWithResult(campaign)
                    + " jobs with a result; API: " + apiFigures(stack) + "; the sender's log ends:\n" + tail(sender.log()), e);
        }
    }

    private static String tail(String log) {
        List<String> lines = log.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /**
     * The longest time Vert.x's blocked-thread checker reported an event loop of the sender blocked, in ms
     * (0 when never). It reports blocks over 2 s, which a busy 2-core machine causes now and then by itself.
     */
    private static long longestEventLoopBlock(String log) {
        Matcher blocked = Pattern.compile("Thread vert\\.x-eventloop-thread-\\d+ has been blocked for (\\d+) ms")
                .matcher(log);
        long longest = 0;
        while (blocked.find()) {
            longest = Math.max(longest, Long.parseLong(blocked.group(1)));
        }
        return longest;
    }

    private static CampaignAudit audit(SenderStack stack, String campaign, List<String> jobs) {
        List<AcceptedMessage> accepted = new ArrayList<>();
        CHANNELS.forEach(c -> accepted.addAll(stack.sandbox.messages(c.numberId())));
        return CampaignAudit.of(campaign, jobs, stack.outputs().historyByJob(campaign), accepted);
    }

    private static void assertNothingLost(CampaignAudit audit) {
        assertThat(audit.lost()).as("jobs without a final result (lost)").isEmpty();
        assertThat(audit.finals()).as("jobs with a final result").hasSize(COUNT);
        assertThat(audit.foreignTokens()).as("tokens of no job of the campaign").isEmpty();
        assertThat(outside(audit.withFinal(Outcome.ACCEPTED), audit.acceptedByApi()))
                .as("jobs reported accepted that the API never accepted").isEmpty();
    }

    private static void assertNoDuplicates(SenderStack stack, CampaignAudit audit) {
        for (TestChannel channel : CHANNELS) {
            StatsSnapshot stats = stack.stats(channel.id());
            assertThat(stats.duplicates()).as("duplicates (same callback token) on %s", channel.id()).isZero();
            assertThat(stats.duplicateBodies()).as("duplicates (same recipient and body) on %s", channel.id()).isZero();
        }
        assertThat(audit.acceptedTwice()).as("jobs whose token the API accepted twice").isEmpty();
    }

    /** One dead letter per parked or failed job, with the result's error code and a reason. */
    private static void assertDeadLettered(SenderStack stack, CampaignAudit audit, Set<String> parked,
                                           Set<String> failed) {
        List<ConsumerRecord<byte[], byte[]>> letters = stack.outputs().deadLetters();
        Set<String> expected = new HashSet<>(parked);
        expected.addAll(failed);
        Map<String, Long> perJob = letters.stream().collect(Collectors.groupingBy(
                r -> String.valueOf(SenderOutputs.header(r, Outputs.JOB_ID)), Collectors.counting()));
        assertThat(perJob.keySet()).as("jobs with a dead letter = parked and failed jobs").isEqualTo(expected);
        assertThat(perJob.values()).as("dead letters per job").containsOnly(1L);
        assertThat(letters).allSatisfy(r -> {
            JobResult result = audit.finalResults().get(SenderOutputs.header(r, Outputs.JOB_ID));
            assertThat(SenderOutputs.header(r, Outputs.ERROR_CODE)).isEqualTo(result.error().code());
            assertThat(SenderOutputs.header(r, Outputs.ERROR_REASON)).isNotBlank();
        });
    }

    /** Member → partitions of the ready topic, for the members that own any: how many each owns, ascending. */
    private static List<Integer> owners(SenderStack stack) throws Exception {
        ConsumerGroupDescription group = KafkaTestBroker.admin().describeConsumerGroups(List.of(stack.groupId))
                .describedGroups().get(stack.groupId).get(10, TimeUnit.SECONDS);
        return group.members().stream().map(MemberDescription::assignment)
                .mapToInt(a -> (int) a.topicPartitions().stream().filter(p -> p.topic().equals(stack.topics.ready()))
                        .count())
                .filter(n -> n > 0).sorted().boxed().toList();
    }

    /**
     * The elements of {@code set} that are not in {@code of} (AssertJ's {@code isSubsetOf} compares element by
     * element against a list: minutes for 20,000 jobs).
     */
    private static Set<String> outside(Set<String> set, Set<String> of) {
        Set<String> rest = new HashSet<>(set);
        rest.removeAll(of);
        return rest;
    }

    private static long accepted(SenderStack stack) {
        return CHANNELS.stream().mapToLong(c -> stack.stats(c.id()).accepted()).sum();
    }

    private static Map<String, Long> faultsByKind(SenderStack stack) {
        Map<String, Long> faults = new TreeMap<>();
        CHANNELS.forEach(c -> stack.stats(c.id()).faultsByKind().forEach((kind, n) -> faults.merge(kind, n, Long::sum)));
        return faults;
    }

    private static String apiFigures(SenderStack stack) {
        List<String> parts = new ArrayList<>();
        for (TestChannel channel : CHANNELS) {
            StatsSnapshot stats = stack.stats(channel.id());
            parts.add(channel.id() + " accepted " + stats.accepted() + ", duplicates " + stats.duplicates() + "/"
                    + stats.duplicateBodies() + ", rejected " + stats.rejectedByCode() + ", faults "
                    + stats.faultsByKind() + ", peak " + stats.peakPerSecond() + "/s");
        }
        return String.join("; ", parts);
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
