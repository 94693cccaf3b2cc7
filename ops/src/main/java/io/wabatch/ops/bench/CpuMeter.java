package io.wabatch.ops.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time the workers (each in its JVM) and this JVM (broker, sandbox, feeders: {@code bench_jvm}) used from
 * {@link #start} to {@link #used}: where the machine's cores went over a measured window.
 */
final class CpuMeter {

    static final String BENCH_JVM = "bench_jvm";

    private final Map<String, ChildJvm> workers;
    private final Map<String, Duration> from = new LinkedHashMap<>();

    private CpuMeter(Map<String, ChildJvm> workers) {
        this.workers = workers;
        workers.forEach((name, worker) -> from.put(name, worker.cpu()));
        from.put(BENCH_JVM, benchCpu());
    }

    /** Starts counting for {@code workers}, by name, and this JVM. */
    static CpuMeter start(Map<String, ChildJvm> workers) {
        return new CpuMeter(new LinkedHashMap<>(workers));
    }

    /** CPU time each used since {@link #start}, by name, in the order given, then {@link #BENCH_JVM}. */
    Map<String, Duration> used() {
        Map<String, Duration> used = new LinkedHashMap<>();
        workers.forEach((name, worker) -> used.put(name, worker.cpu().minus(from.get(name))));
        used.put(BENCH_JVM, benchCpu().minus(from.get(BENCH_JVM)));
        return used;
    }

    private static Duration benchCpu() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return Duration.ofNanos(os.getProcessCpuTime());
    }
}
