package io.wabatch.sandbox.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How to start an {@link EmbeddedKafkaBroker}. Immutable; derive variants with the {@code with...} methods.
 *
 * @param host               the loopback address both listeners bind to and the broker advertises
 *                           (default {@code 127.0.0.1}, so every client connects the same way)
 * @param brokerPort         the client (PLAINTEXT) port; 0 picks a free port
 * @param controllerPort     the KRaft controller port; 0 picks a free port
 * @param fallbackToFreePort when a non-zero port is taken, use a free port instead of failing
 *                           (see {@link EmbeddedKafkaBroker#portFallback()})
 * @param dataDir            the log directory; {@code null} creates a temporary directory that
 *                           {@link EmbeddedKafkaBroker#close()} deletes. A given directory is kept, and a
 *                           directory that is already formatted is reused as is (its data survives)
 * @param brokerProperties   extra broker properties (e.g. {@code message.max.bytes}, {@code num.partitions});
 *                           they override the embedded defaults but may not touch the listener, quorum,
 *                           node or log-directory keys the broker manages itself
 * @param startTimeout       how long {@code start}/{@code restart} wait for the broker to answer
 */
public record BrokerOptions(
        String host,
        int brokerPort,
        int controllerPort,
        boolean fallbackToFreePort,
        Path dataDir,
        Map<String, String> brokerProperties,
        Duration startTimeout) {

    /** Broker property keys derived from the other options; setting them in {@code brokerProperties} is an error. */
    public static final Set<String> MANAGED_KEYS = Set.of(
            "process.roles", "node.id", "controller.quorum.voters", "controller.quorum.bootstrap.servers",
            "listeners", "advertised.listeners", "controller.listener.names", "inter.broker.listener.name",
            "listener.security.protocol.map", "log.dirs", "log.dir", "metadata.log.dir");

    /** Validates the options; fails naming the offending value. */
    public BrokerOptions {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        checkPort("brokerPort", brokerPort);
        checkPort("controllerPort", controllerPort);
        if (brokerPort != 0 && brokerPort == controllerPort) {
            throw new IllegalArgumentException("brokerPort and controllerPort must differ, both are " + brokerPort);
        }
        brokerProperties = Map.copyOf(Objects.requireNonNull(brokerProperties, "brokerProperties"));
        for (String key : brokerProperties.keySet()) {
            if (MANAGED_KEYS.contains(key)) {
                throw new IllegalArgumentException("broker property " + key + "=" + brokerProperties.get(key)
                        + " is managed by EmbeddedKafkaBroker; use the host, port and dataDir options instead");
            }
        }
        Objects.requireNonNull(startTimeout, "startTimeout");
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("startTimeout must be positive, was " + startTimeout);
        }
    }

    /** Free ports on 127.0.0.1, a temporary data dir, no extra properties, a 60 s start timeout. */
    public static BrokerOptions defaults() {
        return new BrokerOptions("127.0.0.1", 0, 0, false, null, Map.of(), Duration.ofSeconds(60));
    }

    /**
     * Defaults, but the broker listens on {@code port} if it is free and on a free port otherwise
     * (e.g. 9092 for the demo). {@link EmbeddedKafkaBroker#portFallback()} tells which happened.
     */
    public static BrokerOptions preferredPort(int port) {
        return defaults().withBrokerPort(port).withFallbackToFreePort(true);
    }

    /** A copy listening on {@code newHost}. */
    public BrokerOptions withHost(String newHost) {
        return new BrokerOptions(newHost, brokerPort, controllerPort, fallbackToFreePort, dataDir,
                brokerProperties, startTimeout);
    }

    /** A copy with the client port {@code port} (0 = free port). */
    public BrokerOptions withBrokerPort(int port) {
        return new BrokerOptions(host, port, controllerPort, fallbackToFreePort, dataDir, brokerProperties,
                startTimeout);
    }

    /** A copy with the controller port {@code port} (0 = free port). */
    public BrokerOptions withControllerPort(int port) {
        return new BrokerOptions(host, brokerPort, port, fallbackToFreePort, dataDir, brokerProperties,
                startTimeout);
    }

    /** A copy that falls back to a free port when a requested port is taken ({@code true}) or fails. */
    public BrokerOptions withFallbackToFreePort(boolean fallback) {
        return new BrokerOptions(host, brokerPort, controllerPort, fallback, dataDir, brokerProperties,
                startTimeout);
    }

    /** A copy using {@code dir} as log directory ({@code null} = temporary directory deleted on close). */
    public BrokerOptions withDataDir(Path dir) {
        return new BrokerOptions(host, brokerPort, controllerPort, fallbackToFreePort, dir, brokerProperties,
                startTimeout);
    }

    /** A copy with one more extra broker property (replacing an earlier value of the same key). */
    public BrokerOptions withBrokerProperty(String key, String value) {
        Map<String, String> merged = new HashMap<>(brokerProperties);
        merged.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return new BrokerOptions(host, brokerPort, controllerPort, fallbackToFreePort, dataDir, merged,
                startTimeout);
    }

    /** A copy waiting at most {@code timeout} for the broker to start. */
    public BrokerOptions withStartTimeout(Duration timeout) {
        return new BrokerOptions(host, brokerPort, controllerPort, fallbackToFreePort, dataDir, brokerProperties,
                timeout);
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(name + " must be 0 (free port) or 1-65535, was " + port);
        }
    }
}
