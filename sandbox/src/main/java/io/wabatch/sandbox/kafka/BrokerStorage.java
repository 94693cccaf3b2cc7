package io.wabatch.sandbox.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Formats and deletes the broker's single log directory (which also holds the KRaft metadata log). */
final class BrokerStorage {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerStorage.class);

    private BrokerStorage() {
    }

    /** Whether {@code dir} already holds a formatted broker (restarts reuse it and keep its data). */
    static boolean isFormatted(Path dir) {
        return Files.isRegularFile(dir.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME));
    }

    /** Formats {@code dir} for a new cluster unless it is formatted already. */
    static void formatIfNeeded(Path dir) {
        if (isFormatted(dir)) {
            LOG.debug("Reusing formatted Kafka data dir {}", dir);
            return;
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String path = dir.toAbsolutePath().toString();
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(print)
                    .setNodeId(BrokerProperties.NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(path))
                    .setMetadataLogDirectory(path)
                    .setControllerListenerName(BrokerProperties.CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka data dir " + dir + ": " + e.getMessage(), e);
        }
        LOG.debug("Formatted Kafka data dir: {}", output.toString(StandardCharsets.UTF_8).strip());
    }

    /** Deletes {@code dir} and everything below it; a missing directory is fine. */
    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete Kafka data dir " + dir, e);
        }
    }
}
