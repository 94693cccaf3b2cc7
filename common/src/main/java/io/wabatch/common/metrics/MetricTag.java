package io.wabatch.common.metrics;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One tag a {@link Metric} carries, with the values it may take: either a closed set declared here,
 * or a {@link Source} bounded by configuration (the registry's channel ids, the worker's topics),
 * plus a few fixed values.
 *
 * @param key    the tag key, e.g. {@code channel}
 * @param values the values allowed besides those of {@code source}; never empty when {@code source} is null
 * @param source where the other allowed values come from, or null for a closed set
 * @param doc    how the docs describe the values when listing them would not help, or null to list them
 */
public record MetricTag(String key, Set<String> values, Source source, String doc) {

    /** Bounded value sets that come from configuration rather than code. */
    public enum Source {
        /** The channel ids of the channel registry. */
        CHANNELS("channel ids from the registry"),
        /** The consumer groups of the worker ({@code group.id}). */
        GROUPS("the worker's consumer group (`group.id`)"),
        /** The topics the worker consumes ({@code topic.*}). */
        TOPICS("the topics the worker consumes (`topic.*`)");

        private final String doc;

        Source(String doc) {
            this.doc = doc;
        }

        /** The source in words, for the docs. */
        public String doc() {
            return doc;
        }
    }

    public MetricTag {
        Objects.requireNonNull(key, "key");
        values = Set.copyOf(new LinkedHashSet<>(values));
        if (source == null && values.isEmpty()) {
            throw new IllegalArgumentException("tag " + key + " needs declared values or a source");
        }
    }

    /** A tag whose values are exactly {@code values}. */
    public static MetricTag closed(String key, Collection<String> values) {
        return new MetricTag(key, Set.copyOf(values), null, null);
    }

    /** A tag whose values are exactly {@code values}. */
    public static MetricTag closed(String key, String... values) {
        return closed(key, List.of(values));
    }

    /** A tag whose values come from {@code source}, or are one of {@code extra}. */
    public static MetricTag from(String key, Source source, String... extra) {
        return new MetricTag(key, Set.of(extra), source, null);
    }

    /** The same tag, described in the docs by {@code doc} instead of a list of its values. */
    public MetricTag describedAs(String doc) {
        return new MetricTag(key, values, source, doc);
    }

    /** The same values under another key. */
    public MetricTag renamed(String newKey) {
        return new MetricTag(newKey, values, source, doc);
    }

    /** Whether {@code value} is allowed, given the values each source holds. */
    public boolean allows(String value, java.util.Map<Source, ? extends Collection<String>> sources) {
        if (values.contains(value)) {
            return true;
        }
        if (source == null) {
            return false;
        }
        Collection<String> fromSource = sources.get(source);
        return fromSource != null && fromSource.contains(value);
    }

    /** The allowed values in words, for the docs. */
    public String describe() {
        if (doc != null) {
            return doc;
        }
        StringBuilder out = new StringBuilder();
        if (source != null) {
            out.append(source.doc());
        }
        if (!values.isEmpty()) {
            out.append(source != null ? ", or " : "");
            out.append(String.join(", ", values.stream().sorted().map(v -> "`" + v + "`").toList()));
        }
        return out.toString();
    }
}
