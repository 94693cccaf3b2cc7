package io.wabatch.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabatch.common.metrics.MetricDocs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MetricsDocsTest {

    private static final String BEGIN = "<!-- metrics-table:begin -->\n";
    private static final String END = "<!-- metrics-table:end -->";

    @Test
    void theReadmesMetricTableEqualsTheOneGeneratedFromTheCatalogue() throws Exception {
        String readme = Files.readString(Path.of("..", "docs", "operations.md"));
        assertThat(readme).contains(BEGIN).contains(END);
        String committed = readme.substring(readme.indexOf(BEGIN) + BEGIN.length(), readme.indexOf(END));

        assertThat(committed)
                .as("docs/operations.md's metric table is stale: replace what lies between the metrics-table markers with "
                        + "the output of 'java -jar ops/target/wabatch.jar metrics-docs'")
                .isEqualTo(MetricDocs.markdown());
    }

    @Test
    void theCommandPrintsTheTable() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.out;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(WabatchCli.execute("metrics-docs")).isZero();
        } finally {
            System.setOut(original);
        }
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(MetricDocs.markdown());
    }
}
