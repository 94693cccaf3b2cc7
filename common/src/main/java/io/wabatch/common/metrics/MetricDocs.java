package io.wabatch.common.metrics;

import java.util.List;
import java.util.stream.Collectors;

/** Renders the {@link Metric} catalogue as the Markdown metric table of docs/operations.md. */
public final class MetricDocs {

    private MetricDocs() {
    }

    /** One row per metric, in catalogue order, then the error codes a {@code code} tag may take. */
    public static String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| Prometheus name | Micrometer name | type | unit | tags | description |\n");
        out.append("|---|---|---|---|---|---|\n");
        for (Metric metric : Metric.values()) {
            out.append("| ").append(series(metric))
                    .append(" | `").append(metric.meterName()).append('`')
                    .append(" | ").append(type(metric))
                    .append(" | ").append(metric.unit().label())
                    .append(" | ").append(tags(metric))
                    .append(" | ").append(escape(metric.description())).append(" |\n");
        }
        out.append("\nError codes (`code`, `reason` of `wabatch.upload.dlq`): wabatch's own ")
                .append(codes(ErrorCodes.WABATCH)).append("; the API codes of the error table ")
                .append(codes(ErrorCodes.API)).append(". Any other code counts as `other`.\n");
        return out.toString();
    }

    private static String series(Metric metric) {
        String name = metric.prometheusName();
        return switch (metric.kind()) {
            case COUNTER, GAUGE -> "`" + name + "`";
            case TIMER -> "`" + name + "_count`, `_sum`, `_max`";
            case HISTOGRAM -> "`" + name + "_bucket`, `_count`, `_sum`, `_max`";
        };
    }

    private static String type(Metric metric) {
        return switch (metric.kind()) {
            case COUNTER -> "counter";
            case GAUGE -> "gauge";
            case TIMER -> "timer";
            case HISTOGRAM -> "timer (histogram)";
        };
    }

    private static String tags(Metric metric) {
        if (metric.tags().isEmpty()) {
            return "";
        }
        return metric.tags().stream().map(t -> "`" + t.key() + "`: " + escape(t.describe()))
                .collect(Collectors.joining("; "));
    }

    private static String codes(java.util.Collection<String> codes) {
        List<String> sorted = codes.stream().sorted().map(c -> "`" + c + "`").toList();
        return String.join(", ", sorted);
    }

    private static String escape(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
