package io.wabatch.sender;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Outcome;
import io.wabatch.sandbox.api.stats.AcceptedMessage;
import io.wabatch.sandbox.api.stats.StatsSnapshot;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Figures of one sender on a channel without a practical limit (100,000 mps at the sandbox and in the
 * registry): its top rate and the CPU it spends per message. The CPU figure is the whole test JVM's
 * (com.sun.management's process CPU time), so it includes the embedded broker, the sandbox and the
 * test's result reader; a breakdown by thread (sender vs sandbox Vert.x threads told apart by when
 * they started), GC and JIT time is logged alongside. The sender is warmed up first.
 */
@Timeout(120)
class SenderThroughputIT {

    private static final Logger FIGURES = LoggerFactory.getLogger("figures");
    private static final TestChannel CHANNEL = TestChannel.d360("unlimited", 0, 100_000);
    private static final int COUNT = 20_000;

    @ParameterizedTest(name = "send ledger {0}")
    @ValueSource(strings = {"on", "off"})
    void oneSenderOnAnUnlimitedChannelSendsEverythingAndReportsItsCost(String ledger) throws Exception {
        Map<String, String> config = Map.of("ledger.enabled", Boolean.toString(ledger.equals("on")));
        try (SenderStack stack = SenderStack.create("throughput", List.of(CHANNEL))) {
            stack.startSender(config);
            stack.warmUp(Map.of(CHANNEL.id(), 4_000));
            stack.stopSender();
            stack.publish(ReadyJobs.texts("throughput", CHANNEL.id(), 1, COUNT));

            // Every Vert.x thread alive now is the sandbox's (the warm-up sender's Vert.x is closed).
            Set<Long> sandboxThreads = threadIds("vert.x-");
            CpuSample before = CpuSample.take(sandboxThreads);
            stack.startSender(config);
            Map<String, JobResult> results = stack.outputs().awaitResults("throughput", COUNT, Duration.ofSeconds(90));
            CpuSample after = CpuSample.take(sandboxThreads);

            StatsSnapshot stats = stack.stats(CHANNEL.id());
            List<AcceptedMessage> accepted = stack.sandbox.messages(CHANNEL.numberId());
            long spanMs = accepted.get(accepted.size() - 1).receivedAtMs() - accepted.get(0).receivedAtMs();
            double wallSeconds = (after.wallNanos() - before.wallNanos()) / 1e9;
            FIGURES.info("throughput, send ledger {}: {} messages on one unlimited channel: {} msg/s first to last accepted, {} msg/s "
                            + "from sender start to last result, best 5 s {} msg/s; sandbox per second {}; CPU {} "
                            + "µs/message for the whole JVM ({} s CPU in {} s on {} cores); µs/message by part {}",
                    ledger, COUNT, Math.round(COUNT * 1000.0 / Math.max(1, spanMs)), Math.round(COUNT / wallSeconds),
                    Math.round(PerSecond.bestWindowMean(stats, 5)), PerSecond.describe(stats),
                    String.format("%.1f", (after.processNanos() - before.processNanos()) / 1_000.0 / COUNT),
                    String.format("%.2f", (after.processNanos() - before.processNanos()) / 1e9),
                    String.format("%.2f", wallSeconds), Runtime.getRuntime().availableProcessors(),
                    after.perMessageSince(before, COUNT));

            assertThat(results.values()).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED));
            assertThat(stats.accepted()).isEqualTo(COUNT);
            assertThat(stats.duplicates()).isZero();
            assertThat(stats.rejectedByCode()).isEmpty();
        }
    }

    /**
     * The JVM's CPU time at one moment: the whole process, live threads by part, GC pause and JIT time.
     *
     * @param byPart CPU nanoseconds of live threads by what they belong to
     */
    private record CpuSample(long wallNanos, long processNanos, Map<String, Long> byPart, long gcMillis,
                             long jitMillis) {

        static CpuSample take(Set<Long> sandboxThreads) {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long gc = ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum();
            return new CpuSample(System.nanoTime(), os.getProcessCpuTime(), cpuByPart(sandboxThreads), gc,
                    ManagementFactory.getCompilationMXBean().getTotalCompilationTime());
        }

        /** Microseconds per message of each part since {@code before}. */
        Map<String, String> perMessageSince(CpuSample before, int count) {
            Map<String, String> parts = new TreeMap<>();
            byPart.forEach((part, nanos) -> parts.put(part,
                    String.format("%.1f", (nanos - before.byPart.getOrDefault(part, 0L)) / 1_000.0 / count)));
            parts.put("(GC pauses, wall)", String.format("%.1f", (gcMillis - before.gcMillis) * 1_000.0 / count));
            parts.put("(JIT compilation)", String.format("%.1f", (jitMillis - before.jitMillis) * 1_000.0 / count));
            return parts;
        }
    }

    /** CPU time of the live threads, summed by what they belong to (by thread name and, for Vert.x, identity). */
    private static Map<String, Long> cpuByPart(Set<Long> sandboxThreads) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> parts = new TreeMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long nanos = threads.getThreadCpuTime(info.getThreadId());
            if (nanos > 0) {
                parts.merge(part(info, sandboxThreads), nanos, Long::sum);
            }
        }
        return parts;
    }

    private static String part(ThreadInfo info, Set<Long> sandboxThreads) {
        String name = info.getThreadName();
        if (name.startsWith("vert.x-")) {
            return sandboxThreads.contains(info.getThreadId()) ? "sandbox vert.x" : "sender vert.x";
        }
        if (name.equals("sender-worker")) {
            return "sender loop thread";
        }
        if (name.contains("wabatch-sender") || name.contains("sender-it-")) {
            return "sender kafka clients";
        }
        if (name.startsWith("sender-outputs")) {
            return "test result reader";
        }
        return "broker and other";
    }

    private static Set<Long> threadIds(String namePrefix) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Set<Long> ids = new HashSet<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(namePrefix)) {
                ids.add(info.getThreadId());
            }
        }
        return ids;
    }
}
