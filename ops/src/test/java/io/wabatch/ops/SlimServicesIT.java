package io.wabatch.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabatch.sandbox.kafka.KafkaTestBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each service's own artifact: built, without the embedded broker, Scala, the sandbox or the command
 * line, and strict about its configuration from the first line: a variable no service knows, or a
 * malformed log format, stops it at once with one line naming the variable, while a variable another
 * service knows is skipped.
 */
@Timeout(120)
class SlimServicesIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Map<String, String> WEBHOOK = Map.of("WABATCH_BOOTSTRAP_SERVERS", "127.0.0.1:9",
            "WABATCH_WEBHOOK_APP_SECRET", "slim-secret", "WABATCH_WEBHOOK_PORT", "0", "WABATCH_OPS_PORT", "0");

    @ParameterizedTest
    @ValueSource(strings = {"upload-worker", "sender-worker", "webhook-receiver", "campaign-funnel"})
    void eachServiceShipsWithoutTheBrokerScalaSandboxOrCommandLine(String module) throws IOException {
        try (ZipFile jar = new ZipFile(jar(module).toFile())) {
            List<String> names = jar.stream().map(e -> e.getName()).toList();
            assertThat(names).as("%s's own classes", module).anyMatch(n -> n.startsWith("io/wabatch/"
                    + Map.of("upload-worker", "upload", "sender-worker", "sender", "webhook-receiver", "webhook",
                    "campaign-funnel", "funnel").get(module) + "/"));
            assertThat(names).as("%s carries nothing of the broker, Scala, the sandbox or ops", module)
                    .noneMatch(n -> n.startsWith("kafka/server/") || n.startsWith("scala/")
                            || n.startsWith("io/wabatch/sandbox/") || n.startsWith("io/wabatch/ops/")
                            || n.startsWith("org/apache/kafka/raft/"));
        }
    }

    @Test
    void aVariableNoServiceKnowsStopsTheWebhookReceiverAtOnceNamingIt() throws Exception {
        Run run = run("webhook-receiver", Map.of("WABATCH_LOG_FORMT", "json"));
        assertThat(run.exit).isEqualTo(2);
        assertThat(run.output).contains("WABATCH_LOG_FORMT is not a setting of any wabatch service; "
                + "did you mean WABATCH_LOG_FORMAT?");
        assertThat(run.output.lines().filter(l -> l.contains("WABATCH_LOG_FORMT")).count()).isEqualTo(1);
    }

    @Test
    void aMalformedLogFormatStopsTheWebhookReceiverAtOnceNamingTheAcceptedForms() throws Exception {
        Run run = run("webhook-receiver", Map.of("WABATCH_LOG_FORMAT", "JSN"));
        assertThat(run.exit).isEqualTo(2);
        assertThat(run.output.strip()).isEqualTo("webhook-receiver cannot start: invalid value for WABATCH_LOG_FORMAT: "
                + "the log format is one of text, json (the value is not shown: it may be a secret)");
    }

    @Test
    void anotherServicesVariablesAreSkippedQuietly() throws Exception {
        // Past the configuration, the receiver checks its topics on the real broker: with a prefix no
        // topic has, it stops there, which shows the sender's and upload worker's keys did not stop it.
        String prefix = "slim-" + System.nanoTime();
        Run run = run("webhook-receiver", Map.of("WABATCH_BOOTSTRAP_SERVERS", KafkaTestBroker.bootstrapServers(),
                "WABATCH_TOPIC_STATUS", prefix + ".status", "WABATCH_TOPIC_INBOUND", prefix + ".inbound",
                "WABATCH_CHANNELS_FILE", "/nowhere/channels.yaml", "WABATCH_WINDOW_RECORDS", "7",
                "WABATCH_SPOOL_DIR", "/nowhere", "WABATCH_LOG_FORMAT", "json"));
        assertThat(run.exit).isEqualTo(2);
        assertThat(run.output).contains("topic " + prefix + ".status does not exist")
                .doesNotContain("CHANNELS_FILE").doesNotContain("WINDOW_RECORDS");
        assertThat(run.output.lines().filter(l -> !l.isBlank())).as("JSON logs").allMatch(l -> l.startsWith("{"));
    }

    private record Run(int exit, String output) {
    }

    private static Run run(String module, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(WabatchJar.javaBinary(), "-jar", jar(module).toString())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("WABATCH_"));
        builder.environment().putAll(WEBHOOK);
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the service stopped by itself").isTrue();
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static Path jar(String module) {
        Path jar = ROOT.resolve(module).resolve("target").resolve("wabatch-" + module + ".jar");
        assertThat(jar).as("run 'mvn package' first: this test uses the built service jars").exists();
        return jar;
    }
}
