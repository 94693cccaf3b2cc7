package io.wabatch.sandbox.kafka;

import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Testcontainers broker mode, kept in its own class so that Testcontainers classes are loaded
 * only when this mode is chosen (modules without Testcontainers on the classpath still use the fixture).
 */
final class TestcontainersKafka {

    /** The image, overridable with {@code -Dkafka.image=...}. */
    static final String IMAGE_PROPERTY = "kafka.image";
    static final String DEFAULT_IMAGE = "apache/kafka:4.1.0";

    private TestcontainersKafka() {
    }

    /** Whether a Docker engine answers (about 0.3 s when there is none; cached by Testcontainers). */
    static boolean isDockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    /**
     * Starts a single-node Kafka container configured like the embedded broker (no topic auto-creation,
     * no initial rebalance delay).
     *
     * @throws IllegalStateException when Docker is not available
     */
    static BrokerHandle start() {
        if (!isDockerAvailable()) {
            throw new IllegalStateException("-D" + KafkaTestBroker.MODE_PROPERTY + "=testcontainers was given but "
                    + "no Docker engine is available; start Docker, or drop the property to use the embedded broker");
        }
        String image = System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE);
        KafkaContainer container = new KafkaContainer(DockerImageName.parse(image))
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        container.start();
        return new BrokerHandle(BrokerMode.TESTCONTAINERS, container.getBootstrapServers(),
                Optional.empty(), container::stop);
    }
}
