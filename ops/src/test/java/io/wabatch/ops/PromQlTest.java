package io.wabatch.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PromQlTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "up == 0 | up",
        "sum by (channel, le) (rate(a_seconds_bucket{channel=~\"$channel\"}[$__rate_interval])) | a_seconds_bucket",
        "histogram_quantile(0.95, sum by (le) (rate(b_bucket[5m]))) > 1e3 | b_bucket",
        "x_total offset 1h or 0 * y_total unless on () max(z{state=\"paused\"}) == 1 | x_total y_total z",
        "sum(c) by (group) / ignoring(code) group_left(stage) d{code=\"a}b\"} and bool e | c d e",
        "deriv(sum by (topic) (lag{topic!~\".*deferred.*\"})[10m:1m]) > 0 | lag",
    })
    void findsTheMetricNamesAndNothingElse(String expr, String names) {
        assertThat(PromQl.metricNames(expr)).containsExactlyInAnyOrder(names.split(" "));
    }
}
