package io.wabatch.sender;

import io.wabatch.sandbox.api.stats.StatsSnapshot;
import java.util.List;

/** Reading the sandbox's per-second series of accepted messages. */
final class PerSecond {

    private PerSecond() {
    }

    /** The busiest second. */
    static long peak(StatsSnapshot stats) {
        return stats.peakPerSecond();
    }

    /**
     * The mean of the seconds between the first and the last (both partial), i.e. the steady state
     * of a run that had a backlog throughout.
     */
    static double steadyMean(StatsSnapshot stats) {
        List<StatsSnapshot.Second> seconds = stats.perSecond();
        if (seconds.size() < 3) {
            throw new AssertionError("too few seconds for a steady state: " + seconds);
        }
        return seconds.subList(1, seconds.size() - 1).stream().mapToLong(StatsSnapshot.Second::accepted).average()
                .orElseThrow();
    }

    /** {@code [75, 76, 76, ...]}: the series for messages. */
    static String describe(StatsSnapshot stats) {
        return stats.perSecond().stream().map(s -> Long.toString(s.accepted())).toList().toString();
    }
}
