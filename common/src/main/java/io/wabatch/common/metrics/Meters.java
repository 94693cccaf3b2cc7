package io.wabatch.common.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counters and timers of the {@link Metric} catalogue in one registry, each tag combination looked
 * up in the registry once: a registry lookup builds and sorts the meter's tags and compares ids, a
 * measurable cost on a path taken for every message. Thread-safe.
 */
public final class Meters {

    private final MeterRegistry registry;
    private final Map<Key, Meter> meters = new ConcurrentHashMap<>();

    private record Key(Metric metric, List<String> keyValues) {
    }

    public Meters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** {@link Metric#counter}, registered on first use. */
    public Counter counter(Metric metric, String... keyValues) {
        return (Counter) lookup(metric, keyValues, () -> metric.counter(registry, keyValues));
    }

    /** {@link Metric#timer}, registered on first use. */
    public Timer timer(Metric metric, String... keyValues) {
        return (Timer) lookup(metric, keyValues, () -> metric.timer(registry, keyValues));
    }

    private Meter lookup(Metric metric, String[] keyValues, java.util.function.Supplier<Meter> register) {
        Key key = new Key(metric, Arrays.asList(keyValues));
        Meter meter = meters.get(key);
        return meter != null ? meter : meters.computeIfAbsent(key, k -> register.get());
    }
}
