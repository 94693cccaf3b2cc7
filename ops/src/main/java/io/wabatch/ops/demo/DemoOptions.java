package io.wabatch.ops.demo;

import java.util.Map;

/**
 * How to start a {@link DemoStack}.
 *
 * @param bootstrap       an external Kafka cluster, or null to start the embedded broker
 * @param kafkaPort       preferred port of the embedded broker (a free one if taken; 0 = any)
 * @param sandboxPort     preferred port of the sandbox API (a free one if taken; 0 = any)
 * @param sandboxMps      each sandbox number's throughput limit; channels pace at 95 % of it
 * @param partitions      partitions of every topic
 * @param workerOverrides extra worker configuration values (tests scale time constants down)
 */
public record DemoOptions(String bootstrap, int kafkaPort, int sandboxPort, int sandboxMps, int partitions,
                          Map<String, String> workerOverrides) {

    public DemoOptions {
        workerOverrides = Map.copyOf(workerOverrides);
    }

    /** The demo's defaults: embedded broker on 9092, sandbox on 8080, 80 mps, 4 partitions. */
    public static DemoOptions defaults() {
        return new DemoOptions(null, 9092, 8080, 80, 4, Map.of());
    }

    /** Any free ports: for tests that run beside other stacks. */
    public static DemoOptions anyPorts(String bootstrap) {
        return new DemoOptions(bootstrap, 0, 0, 80, 4, Map.of());
    }
}
