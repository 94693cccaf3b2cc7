package io.wabatch.ops.demo;

import io.wabatch.common.kafka.TopicNames;
import java.util.Map;

/**
 * How to start a {@link DemoStack}.
 *
 * @param bootstrap       an external Kafka cluster, or null to start the embedded broker
 * @param kafkaPort       preferred port of the embedded broker (a free one if taken; 0 = any)
 * @param sandboxPort     preferred port of the sandbox API (a free one if taken; 0 = any)
 * @param sandboxMps      each sandbox number's throughput limit; channels pace at 95 % of it
 * @param partitions      partitions of every topic
 * @param topics          the topic names (tests use their own)
 * @param workerOverrides extra worker configuration values (tests scale time constants down)
 * @param opsPort         first of five consecutive ports for the metrics and health endpoints of the
 *                        upload worker, the sender worker, the sandbox, the webhook receiver and the funnel
 *                        aggregator; 0 = a free port for each
 * @param sampleCatalogue true to give each channel's sandbox account the {@link SampleCatalogue} and have the
 *                        upload worker list those accounts ({@code templates.accounts}), so template jobs are
 *                        checked: the demo's setting; tests' stacks send templates of their own and leave it off
 */
public record DemoOptions(String bootstrap, int kafkaPort, int sandboxPort, int sandboxMps, int partitions,
                          TopicNames topics, Map<String, String> workerOverrides, int opsPort,
                          boolean sampleCatalogue) {

    public DemoOptions {
        workerOverrides = Map.copyOf(workerOverrides);
        if (opsPort < 0 || opsPort > 65531) {
            throw new IllegalArgumentException("ops port must be 0..65531, got " + opsPort);
        }
    }

    /** Options without a template catalogue: template jobs pass unchecked. */
    public DemoOptions(String bootstrap, int kafkaPort, int sandboxPort, int sandboxMps, int partitions,
                       TopicNames topics, Map<String, String> workerOverrides, int opsPort) {
        this(bootstrap, kafkaPort, sandboxPort, sandboxMps, partitions, topics, workerOverrides, opsPort, false);
    }

    /** Options with the metrics and health endpoints on free ports, without a template catalogue. */
    public DemoOptions(String bootstrap, int kafkaPort, int sandboxPort, int sandboxMps, int partitions,
                       TopicNames topics, Map<String, String> workerOverrides) {
        this(bootstrap, kafkaPort, sandboxPort, sandboxMps, partitions, topics, workerOverrides, 0);
    }

    /** These options with the {@link SampleCatalogue} configured, as {@code wabatch demo} runs. */
    public DemoOptions withSampleCatalogue() {
        return new DemoOptions(bootstrap, kafkaPort, sandboxPort, sandboxMps, partitions, topics, workerOverrides,
                opsPort, true);
    }

    /**
     * The port of the {@code index}th endpoint (upload worker 0, sender worker 1, sandbox 2, webhook receiver 3,
     * funnel 4); 0 = free.
     */
    public int opsPort(int index) {
        return opsPort == 0 ? 0 : opsPort + index;
    }

    /** The demo's defaults: embedded broker on 9092, sandbox on 8080, 80 mps, 4 partitions. */
    public static DemoOptions defaults() {
        return new DemoOptions(null, 9092, 8080, 80, 4, TopicNames.defaults(), Map.of());
    }

    /** Free ports, an optional external broker, and topics named {@code <prefix>.*}: for tests. */
    public static DemoOptions forTest(String bootstrap, String topicPrefix, Map<String, String> workerOverrides) {
        return new DemoOptions(bootstrap, 0, 0, 80, 4, TopicNames.withPrefix(topicPrefix), workerOverrides);
    }
}
