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

    /** The highest mean over {@code width} consecutive seconds (the whole series' mean when shorter). */
    static double bestWindowMean(StatsSnapshot stats, int width) {
        List<StatsSnapshot.Second> seconds = stats.perSecond();
        if (seconds.size() <= width) {
            return seconds.stream().mapToLong(StatsSnapshot.Second::accepted).average().orElse(0);
        }
        double best = 0;
        for (int i = 0; i + width <= seconds.size(); i++) {
            best = Math.max(best, seconds.subList(i, i + width).stream().mapToLong(StatsSnapshot.Second::accepted)
                    .average().orElse(0));
        }
        return best;
    }

    /** {@code [75, 76, 76, ...]}: the series for messages. */
    static String describe(StatsSnapshot stats) {
        return stats.perSecond().stream().map(s -> Long.toString(s.accepted())).toList().toString();
    }
}
