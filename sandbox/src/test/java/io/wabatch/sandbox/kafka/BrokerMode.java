package io.wabatch.sandbox.kafka;

import java.util.Locale;

/** Where the shared test broker comes from, chosen from two system properties. */
enum BrokerMode {
    /** A running broker named by {@code -Dkafka.bootstrap=host:port}. */
    EXTERNAL,
    /** A Testcontainers Kafka container, with {@code -Dkafka.broker=testcontainers} (needs Docker). */
    TESTCONTAINERS,
    /** The in-process {@link EmbeddedKafkaBroker} (the default). */
    EMBEDDED;

    /**
     * An external broker if {@code bootstrap} is non-blank, else the broker named by {@code broker}
     * ({@code testcontainers} or {@code embedded}; blank means embedded).
     *
     * @throws IllegalArgumentException for any other {@code broker} value
     */
    static BrokerMode select(String bootstrap, String broker) {
        if (bootstrap != null && !bootstrap.isBlank()) {
            return EXTERNAL;
        }
        String name = broker == null ? "" : broker.strip().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "", "embedded" -> EMBEDDED;
            case "testcontainers" -> TESTCONTAINERS;
            default -> throw new IllegalArgumentException("Unknown -D" + KafkaTestBroker.MODE_PROPERTY + "=" + broker
                    + ": use embedded (default) or testcontainers, or give -D"
                    + KafkaTestBroker.BOOTSTRAP_PROPERTY + "=host:port for a running broker");
        };
    }
}
