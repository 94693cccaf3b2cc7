package io.wabatch.ops.cli;

import io.wabatch.common.metrics.MetricDocs;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code wabatch metrics-docs}: prints the metric table of docs/operations.md from the metric catalogue. */
@Command(name = "metrics-docs", mixinStandardHelpOptions = true,
        description = "Print the metric table (Markdown) of docs/operations.md, generated from the metric catalogue.")
final class MetricsDocsCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.print(MetricDocs.markdown());
        return 0;
    }
}
