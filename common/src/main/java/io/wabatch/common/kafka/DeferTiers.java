package io.wabatch.common.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fixed-delay tiers of the deferred topics (DESIGN §4.6). A job that must wait longer than the
 * shortest tier is written to the tier topic of the longest delay not above its wait, e.g.
 * {@code wa.jobs.deferred.10m}. Every record of a tier waits the same delay, so a tier topic is in
 * due order and is read front to back: its relay sleeps until the head record's delay has passed,
 * then passes it on to the next shorter tier or, once less than the shortest delay remains, back to
 * the ready topic. Waits shorter than the shortest tier stay in memory on timers.
 *
 * <p>The delay is part of the topic name, so a tier topic always says how long its records wait.
 *
 * @param delays the tiers' delays, ascending, distinct, at least one
 */
public record DeferTiers(List<Duration> delays) {

    private static final Pattern LABEL = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    /** One minute, ten minutes, one hour, six hours: a 24 h wait takes 4 hops, a 5 min wait 5. */
    public static final DeferTiers DEFAULT = parse("1m,10m,1h,6h");

    public DeferTiers {
        delays = List.copyOf(delays);
        if (delays.isEmpty()) {
            throw new IllegalArgumentException("at least one defer tier is needed");
        }
        for (int i = 0; i < delays.size(); i++) {
            Duration delay = delays.get(i);
            if (delay.toMillis() < 1) {
                throw new IllegalArgumentException("a defer tier must be at least 1 ms, got " + delay);
            }
            if (i > 0 && delay.compareTo(delays.get(i - 1)) <= 0) {
                throw new IllegalArgumentException("defer tiers must be ascending and distinct, got "
                        + delays.stream().map(DeferTiers::label).toList());
            }
        }
    }

    /**
     * Reads {@code "1m,10m,1h,6h"}: each delay a whole number with the unit {@code ms}, {@code s},
     * {@code m}, {@code h} or {@code d}.
     *
     * @throws IllegalArgumentException naming the bad item
     */
    public static DeferTiers parse(String csv) {
        return parse(List.of(csv.split(",")));
    }

    /** As {@link #parse(String)}, one label per item. */
    public static DeferTiers parse(List<String> labels) {
        List<Duration> delays = new ArrayList<>();
        for (String label : labels) {
            delays.add(delay(label.trim()));
        }
        return new DeferTiers(delays);
    }

    /** The shortest delay: waits up to it stay in memory, longer ones are deferred. */
    public Duration threshold() {
        return delays.get(0);
    }

    /** True when a wait is long enough to leave memory for a tier topic. */
    public boolean defers(Duration wait) {
        return wait.compareTo(threshold()) > 0;
    }

    /** The tier for a wait: the longest delay not above it, the shortest for shorter waits. */
    public Duration tierFor(Duration wait) {
        Duration tier = delays.get(0);
        for (Duration delay : delays) {
            if (delay.compareTo(wait) <= 0) {
                tier = delay;
            }
        }
        return tier;
    }

    /** The topic of one tier: {@code <base>.<label>}, e.g. {@code wa.jobs.deferred.10m}. */
    public static String topic(String base, Duration delay) {
        return base + "." + label(delay);
    }

    /** Every tier's topic, shortest delay first. */
    public List<String> topics(String base) {
        return delays.stream().map(d -> topic(base, d)).toList();
    }

    /**
     * The delay a tier topic's name states.
     *
     * @throws IllegalArgumentException when {@code topic} is not {@code <base>.<label>}
     */
    public static Duration delayOf(String base, String topic) {
        if (!topic.startsWith(base + ".")) {
            throw new IllegalArgumentException("'" + topic + "' is not a tier of " + base);
        }
        return delay(topic.substring(base.length() + 1));
    }

    /** The shortest label for a delay: {@code 90s}, {@code 10m}, {@code 6h}, {@code 500ms}. */
    public static String label(Duration delay) {
        long ms = delay.toMillis();
        if (ms % 86_400_000 == 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1_000 == 0) {
            return ms / 1_000 + "s";
        }
        return ms + "ms";
    }

    /** The labels, comma-separated, as {@link #parse(String)} reads them. */
    public String labels() {
        return String.join(",", delays.stream().map(DeferTiers::label).toList());
    }

    private static Duration delay(String label) {
        Matcher m = LABEL.matcher(label.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + label + "' is not a delay such as 500ms, 30s, 10m, 6h or 1d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
