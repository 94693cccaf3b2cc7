package io.wabatch.ops.bench;

import io.wabatch.sandbox.api.Latency;
import io.wabatch.sandbox.api.SandboxConfig;
import io.wabatch.sandbox.api.SandboxServer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** What the scenarios share: percentiles, means, the sandbox and its counts. */
final class Figures {

    private Figures() {
    }

    /** The sandbox on a free loopback port with one number per channel and {@code latency} on every answer. */
    static SandboxServer sandbox(List<BenchChannel> channels, Latency latency) {
        SandboxConfig.Builder config = SandboxConfig.builder().port(0).latency(latency);
        channels.forEach(c -> config.number(c.sandboxNumber()));
        return SandboxServer.start(config.build());
    }

    /** The {@code q} quantile (0..1) of {@code values} by the nearest-rank method; 0 when empty. */
    static long percentile(long[] values, double q) {
        if (values.length == 0) {
            return 0;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** The mean of the seconds' counts (0 when there are none). */
    static double mean(Map<Long, Long> seconds) {
        return seconds.values().stream().mapToLong(Long::longValue).average().orElse(0);
    }

    /** Messages the sandbox accepted on these channels so far. */
    static long accepted(SandboxServer sandbox, List<BenchChannel> channels) {
        return channels.stream().mapToLong(c -> sandbox.stats(c.numberId()).accepted()).sum();
    }
}
