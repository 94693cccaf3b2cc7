package io.wabatch.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    @Test
    @Timeout(120)
    void recordsSurviveStopAndRestartOnTheSamePortAndDataDir() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
             KafkaProducer<String, String> producer = TestRecords.producer(broker.bootstrapServers())) {
            createTopic(broker, "survivors", 6);
            TestRecords.send(producer, "survivors", TestRecords.keyed(0, 1_000));
            assertThat(TestRecords.readAll(broker.bootstrapServers(), "survivors", 1_000, READ_TIMEOUT))
                    .isEqualTo(TestRecords.keyed(0, 1_000));
            String clusterId = clusterId(broker);
            int port = broker.port();
            int controllerPort = broker.controllerPort();

            // The open producer connection is closed by the broker, leaving the port in TIME_WAIT.
            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            broker.restart();

            assertThat(broker.isRunning()).isTrue();
            assertThat(broker.port()).isEqualTo(port);
            assertThat(broker.controllerPort()).isEqualTo(controllerPort);
            assertThat(clusterId(broker)).isEqualTo(clusterId);
            assertThat(TestRecords.readAll(broker.bootstrapServers(), "survivors", 1_000, READ_TIMEOUT))
                    .isEqualTo(TestRecords.keyed(0, 1_000));
            TestRecords.send(producer, "survivors", TestRecords.keyed(1_000, 1_500));
            assertThat(TestRecords.readAll(broker.bootstrapServers(), "survivors", 1_500, READ_TIMEOUT))
                    .isEqualTo(TestRecords.keyed(0, 1_500));
        }
    }

    @Test
    @Timeout(60)
    void closeDeletesTheTemporaryDataDirItCreated() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        Path dataDir = broker.dataDir();
        assertThat(dataDir.resolve("meta.properties")).isRegularFile();

        broker.close();
        broker.close();

        assertThat(dataDir).doesNotExist();
        assertThat(broker.isRunning()).isFalse();
        assertThatThrownBy(broker::restart).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    @Timeout(90)
    void closeKeepsAGivenDataDirAndANewBrokerReusesItsData(@TempDir Path dataDir) throws Exception {
        BrokerOptions options = BrokerOptions.defaults().withDataDir(dataDir);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(options);
             KafkaProducer<String, String> producer = TestRecords.producer(broker.bootstrapServers())) {
            createTopic(broker, "kept", 2);
            TestRecords.send(producer, "kept", TestRecords.keyed(0, 10));
        }
        assertThat(dataDir.resolve("meta.properties")).isRegularFile();

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(options)) {
            broker.awaitTopicReady("kept", Duration.ofSeconds(30));
            assertThat(TestRecords.readAll(broker.bootstrapServers(), "kept", 10, READ_TIMEOUT))
                    .isEqualTo(TestRecords.keyed(0, 10));
        }
        assertThat(dataDir).isDirectory();
    }

    @Test
    @Timeout(60)
    void takenPreferredPortFallsBackToAFreePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerOptions.preferredPort(taken.getLocalPort()))) {
            assertThat(broker.portFallback()).isTrue();
            assertThat(broker.port()).isNotEqualTo(taken.getLocalPort());
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.port());
            assertThat(clusterId(broker)).isNotBlank();
        }
    }

    @Test
    @Timeout(60)
    void freePreferredPortIsUsed() throws Exception {
        int free;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            free = probe.getLocalPort();
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerOptions.preferredPort(free))) {
            assertThat(broker.portFallback()).isFalse();
            assertThat(broker.port()).isEqualTo(free);
        }
    }

    @Test
    @Timeout(30)
    void takenExactPortFailsFast() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            BrokerOptions options = BrokerOptions.defaults().withBrokerPort(taken.getLocalPort());
            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(options))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port 127.0.0.1:" + taken.getLocalPort() + " is taken");
        }
    }

    @Test
    @Timeout(60)
    void failedStartDeletesTheTemporaryDataDir() {
        BrokerOptions options = BrokerOptions.defaults().withBrokerProperty("message.max.bytes", "lots");

        assertThatThrownBy(() -> EmbeddedKafkaBroker.start(options))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("message.max.bytes")
                .satisfies(e -> assertThat(dataDirNamedIn(e.getMessage())).doesNotExist());
    }

    @Test
    @Timeout(60)
    void brokerNotAnsweringInTimeIsShutDownAndItsTemporaryDataDirDeleted() throws Exception {
        BrokerOptions options = BrokerOptions.defaults().withStartTimeout(Duration.ofMillis(1));

        Throwable failure = catchThrowable(() -> EmbeddedKafkaBroker.start(options));

        assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessageContaining("DescribeCluster");
        assertThat(dataDirNamedIn(failure.getMessage())).doesNotExist();
        Matcher port = Pattern.compile("start on 127\\.0\\.0\\.1:(\\d+)").matcher(failure.getMessage());
        assertThat(port.find()).isTrue();
        try (ServerSocket rebound = new ServerSocket()) {
            rebound.setReuseAddress(true);
            rebound.bind(new InetSocketAddress("127.0.0.1", Integer.parseInt(port.group(1))));
        }
    }

    private static void createTopic(EmbeddedKafkaBroker broker, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
        broker.awaitTopicReady(topic, Duration.ofSeconds(30));
    }

    private static String clusterId(EmbeddedKafkaBroker broker) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            return admin.describeCluster().clusterId().get();
        }
    }

    private static Path dataDirNamedIn(String message) {
        Matcher matcher = Pattern.compile("data dir (\\S+)\\)").matcher(message);
        assertThat(matcher.find()).as("data dir named in: %s", message).isTrue();
        Path dir = Path.of(matcher.group(1));
        assertThat(dir.getFileName().toString()).startsWith("wabatch-kafka-");
        return dir;
    }
}
