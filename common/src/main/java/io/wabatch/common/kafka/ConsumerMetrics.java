package io.wabatch.common.kafka;

import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Reads what wabatch needs from a Kafka consumer's own metrics ({@code Consumer.metrics()}, safe from
 * any thread): the lag of the assigned partitions per topic, and whether the consumer is in touch
 * with the cluster. Nothing here calls the broker.
 */
public final class ConsumerMetrics {

    /** The coordinator must have been heartbeated within this many seconds for the cluster to count as reachable. */
    static final double MAX_HEARTBEAT_AGE_SECONDS = 30;

    private ConsumerMetrics() {
    }

    /**
     * Records behind the log end summed over the assigned partitions of {@code topic}, as of each
     * partition's last fetch ({@code records-lag}); 0 when none of them has been fetched yet.
     */
    public static double lag(Map<MetricName, ? extends Metric> metrics, String topic) {
        // Kafka's per-partition tags spell the topic with '_' for '.'.
        String tagged = topic.replace('.', '_');
        double sum = 0;
        for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
            MetricName name = entry.getKey();
            if (name.name().equals("records-lag") && name.group().equals("consumer-fetch-manager-metrics")
                    && tagged.equals(name.tags().get("topic")) && name.tags().containsKey("partition")) {
                double value = value(entry.getValue());
                if (Double.isFinite(value) && value > 0) {
                    sum += value;
                }
            }
        }
        return sum;
    }

    /**
     * Whether the consumer is connected to at least one broker and, once it has heartbeated its group
     * coordinator, did so within {@value #MAX_HEARTBEAT_AGE_SECONDS} s.
     */
    public static boolean reachable(Map<MetricName, ? extends Metric> metrics) {
        double connections = 0;
        double heartbeatAge = Double.NaN;
        for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
            MetricName name = entry.getKey();
            if (name.name().equals("connection-count") && name.group().equals("consumer-metrics")) {
                connections = value(entry.getValue());
            } else if (name.name().equals("last-heartbeat-seconds-ago")
                    && name.group().equals("consumer-coordinator-metrics")) {
                heartbeatAge = value(entry.getValue());
            }
        }
        boolean heartbeating = !Double.isFinite(heartbeatAge) || heartbeatAge <= MAX_HEARTBEAT_AGE_SECONDS;
        return connections > 0 && heartbeating;
    }

    private static double value(Metric metric) {
        Object value = metric.metricValue();
        return value instanceof Number number ? number.doubleValue() : Double.NaN;
    }
}
