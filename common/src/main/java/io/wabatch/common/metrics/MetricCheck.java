package io.wabatch.common.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.wabatch.common.metrics.MetricTag.Source;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares the {@code wabatch.*} meters of a registry with the {@link Metric} catalogue: every meter
 * must be catalogued with its type, carry exactly the declared tag keys, and only declared values
 * (or values of the declared source, e.g. the registry's channel ids). Tests run it after real traffic.
 */
public final class MetricCheck {

    /** Meters named with this prefix are wabatch's and must be catalogued. */
    public static final String PREFIX = "wabatch.";

    private MetricCheck() {
    }

    /** The problems of {@code registry}'s wabatch meters, one line each; empty when all is well. */
    public static List<String> problems(MeterRegistry registry, Map<Source, ? extends Collection<String>> sources) {
        return problems(registry.getMeters().stream().map(Meter::getId).toList(), sources);
    }

    /** As {@link #problems(MeterRegistry, Map)} for meter ids. */
    public static List<String> problems(Collection<Meter.Id> ids, Map<Source, ? extends Collection<String>> sources) {
        Set<String> problems = new TreeSet<>();
        for (Meter.Id id : ids) {
            if (!id.getName().startsWith(PREFIX)) {
                continue;
            }
            Optional<Metric> metric = Metric.byMeterName(id.getName());
            if (metric.isEmpty()) {
                problems.add(id.getName() + " is not in the metric catalogue");
                continue;
            }
            problems.addAll(check(metric.get(), id, sources));
        }
        return List.copyOf(problems);
    }

    private static List<String> check(Metric metric, Meter.Id id, Map<Source, ? extends Collection<String>> sources) {
        List<String> problems = new ArrayList<>();
        if (id.getType() != metric.kind().meterType()) {
            problems.add(id.getName() + " is a " + id.getType() + ", catalogued as " + metric.kind());
        }
        Set<String> keys = new TreeSet<>();
        for (Tag tag : id.getTags()) {
            keys.add(tag.getKey());
            Optional<MetricTag> declared = metric.tag(tag.getKey());
            if (declared.isEmpty()) {
                problems.add(id.getName() + " has tag '" + tag.getKey() + "', which is not declared");
            } else if (!declared.get().allows(tag.getValue(), sources)) {
                problems.add(id.getName() + " has " + tag.getKey() + "='" + tag.getValue()
                        + "', outside the declared values");
            }
        }
        Set<String> expected = new TreeSet<>(metric.tags().stream().map(MetricTag::key).toList());
        if (!keys.containsAll(expected)) {
            expected.removeAll(keys);
            problems.add(id.getName() + " lacks tag(s) " + expected);
        }
        return problems;
    }
}
