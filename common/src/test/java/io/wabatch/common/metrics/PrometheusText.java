package io.wabatch.common.metrics;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a Prometheus text exposition: each series name with the label keys it is exposed with. */
public final class PrometheusText {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? \\S+.*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private PrometheusText() {
    }

    /** Series name → the label key sets it appears with. */
    public static Map<String, Set<Set<String>>> series(String text) {
        Map<String, Set<Set<String>>> series = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                throw new IllegalArgumentException("not a Prometheus sample: " + line);
            }
            Set<String> keys = new TreeSet<>();
            if (sample.group(3) != null) {
                Matcher label = LABEL.matcher(sample.group(3));
                while (label.find()) {
                    keys.add(label.group(1));
                }
            }
            series.computeIfAbsent(sample.group(1), k -> new TreeSet<>(java.util.Comparator.comparing(Object::toString)))
                    .add(keys);
        }
        return series;
    }

    /** Every label value of every sample but histogram bounds ({@code le}), for scans (no phone numbers, no ids). */
    public static Set<String> allLabelValues(String text) {
        Set<String> values = new TreeSet<>();
        for (String line : text.split("\n")) {
            int open = line.indexOf('{');
            if (line.startsWith("#") || open < 0) {
                continue;
            }
            Matcher label = LABEL.matcher(line.substring(open, line.lastIndexOf('}') + 1));
            while (label.find()) {
                if (!label.group(1).equals("le")) {
                    values.add(label.group(2));
                }
            }
        }
        return values;
    }

    /** The label values of {@code key} over the samples of {@code name}. */
    public static Set<String> labelValues(String text, String name, String key) {
        Set<String> values = new TreeSet<>();
        for (String line : text.split("\n")) {
            if (line.startsWith(name + "{")) {
                Matcher label = LABEL.matcher(line.substring(name.length(), line.lastIndexOf('}') + 1));
                while (label.find()) {
                    if (label.group(1).equals(key)) {
                        values.add(label.group(2));
                    }
                }
            }
        }
        return values;
    }
}
