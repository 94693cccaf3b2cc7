package io.wabatch.sandbox.kafka;

import java.util.Optional;

/**
 * A broker the tests talk to and how to release it.
 *
 * @param mode             where it comes from
 * @param bootstrapServers the client bootstrap address
 * @param embedded         the in-process broker, present only in {@link BrokerMode#EMBEDDED} mode
 * @param release          stops the broker (or does nothing for an external one)
 */
record BrokerHandle(BrokerMode mode, String bootstrapServers, Optional<EmbeddedKafkaBroker> embedded,
                    Runnable release) implements AutoCloseable {

    static BrokerHandle external(String bootstrapServers) {
        return new BrokerHandle(BrokerMode.EXTERNAL, bootstrapServers.strip(), Optional.empty(), () -> { });
    }

    static BrokerHandle embedded(EmbeddedKafkaBroker broker) {
        return new BrokerHandle(BrokerMode.EMBEDDED, broker.bootstrapServers(), Optional.of(broker), broker::close);
    }

    @Override
    public void close() {
        release.run();
    }
}
