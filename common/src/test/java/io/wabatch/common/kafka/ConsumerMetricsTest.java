package io.wabatch.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class ConsumerMetricsTest {

    private final Map<MetricName, Metric> metrics = new HashMap<>();

    @Test
    void lagSumsTheAssignedPartitionsOfOneTopicSkippingUnfetchedOnes() {
        lag("wa.jobs.ready", 0, 40);
        lag("wa.jobs.ready", 1, 2);
        lag("wa.jobs.ready", 2, Double.NaN);
        lag("wa.results", 0, 1_000);
        put("records-lag-max", "consumer-fetch-manager-metrics", Map.of("client-id", "c"), 99);

        assertThat(ConsumerMetrics.lag(metrics, "wa.jobs.ready")).isEqualTo(42);
        assertThat(ConsumerMetrics.lag(metrics, "wa.jobs")).isZero();
    }

    @Test
    void reachableWhileConnectedAndHeartbeating() {
        assertThat(ConsumerMetrics.reachable(metrics)).isFalse();
        put("connection-count", "consumer-metrics", Map.of("client-id", "c"), 2);
        assertThat(ConsumerMetrics.reachable(metrics)).isTrue();
        put("last-heartbeat-seconds-ago", "consumer-coordinator-metrics", Map.of("client-id", "c"), -1);
        assertThat(ConsumerMetrics.reachable(metrics)).as("no heartbeat yet").isTrue();
        put("last-heartbeat-seconds-ago", "consumer-coordinator-metrics", Map.of("client-id", "c"), 3);
        assertThat(ConsumerMetrics.reachable(metrics)).isTrue();
        put("last-heartbeat-seconds-ago", "consumer-coordinator-metrics", Map.of("client-id", "c"), 31);
        assertThat(ConsumerMetrics.reachable(metrics)).as("coordinator out of reach").isFalse();
        put("last-heartbeat-seconds-ago", "consumer-coordinator-metrics", Map.of("client-id", "c"), 1);
        put("connection-count", "consumer-metrics", Map.of("client-id", "c"), 0);
        assertThat(ConsumerMetrics.reachable(metrics)).as("no connection").isFalse();
    }

    private void lag(String topic, int partition, double value) {
        put("records-lag", "consumer-fetch-manager-metrics", Map.of("client-id", "c",
                "topic", topic.replace('.', '_'), "partition", Integer.toString(partition)), value);
    }

    private void put(String name, String group, Map<String, String> tags, double value) {
        MetricName metricName = new MetricName(name, group, "", tags);
        metrics.put(metricName, new Metric() {
            @Override
            public MetricName metricName() {
                return metricName;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        });
    }
}
