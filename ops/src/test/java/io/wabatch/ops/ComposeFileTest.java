package io.wabatch.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.config.ConfigSources;
import io.wabatch.common.config.LoopWorkerConfig;
import io.wabatch.sender.config.SenderWorkerConfig;
import io.wabatch.upload.config.UploadWorkerConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code docker-compose.yml} as Docker Compose reads it ({@code docker-compose config}, which also
 * validates it): every environment variable it gives a wabatch container is a configuration key
 * of that service, a variable the process reads itself (logging), or a credential the mounted
 * channel registry names; each service runs from its own slim image (a Dockerfile target).
 */
class ComposeFileTest {

    private static final Path COMPOSE = Path.of("..", "docker-compose.yml").toAbsolutePath().normalize();
    private static final Path REGISTRY = Path.of("..", "ops", "docker", "channels.yaml").toAbsolutePath().normalize();
    private static final Map<String, ConfigDef> DEFINITIONS = Map.of(
            "upload-worker", UploadWorkerConfig.DEFINITION, "sender-worker", SenderWorkerConfig.DEFINITION,
            "webhook-receiver", io.wabatch.webhook.WebhookConfig.DEFINITION,
            "funnel", io.wabatch.funnel.FunnelConfig.DEFINITION);

    /** The module (and slim jar) of each service, its image's SERVICE build argument. */
    private static final Map<String, String> MODULES = Map.of("upload-worker", "upload-worker",
            "sender-worker", "sender-worker", "webhook-receiver", "webhook-receiver", "funnel", "campaign-funnel");
    private static JsonNode services;

    @BeforeAll
    static void resolve() throws Exception {
        Path tool = ExternalTool.require("docker-compose", "apt-get install docker-compose");
        ProcessBuilder builder = new ProcessBuilder(tool.toString(), "-f", COMPOSE.toString(), "config")
                .directory(COMPOSE.getParent().toFile());
        // the defaults of the compose file, not whatever this machine's environment says
        builder.environment().keySet().removeIf(name -> name.startsWith("WABATCH_") || name.endsWith("_API_KEY")
                || name.endsWith("_ACCESS_TOKEN"));
        Process process = builder.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errors = new Thread(() -> {
            try {
                process.getErrorStream().transferTo(err);
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        errors.start();
        process.getInputStream().transferTo(out);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        errors.join();
        assertThat(process.exitValue()).as("docker-compose config: %s", err.toString(StandardCharsets.UTF_8)).isZero();
        services = new ObjectMapper(new YAMLFactory()).readTree(out.toByteArray()).get("services");
    }

    @Test
    void everyServiceOfTheDemoIsThere() {
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder("kafka", "topics", "sandbox", "upload-worker", "sender-worker",
                "webhook-receiver", "funnel", "sample-campaign", "prometheus", "grafana");
        assertThat(services.get("kafka").path("environment").path("KAFKA_PROCESS_ROLES").asText())
                .as("KRaft, no ZooKeeper").isEqualTo("broker,controller");
    }

    @Test
    void everyVariableGivenToAWorkerIsAKeyItKnowsALoggingVariableOrARegistryCredential() throws Exception {
        Set<String> credentials = credentialVariables();
        Map<String, List<String>> unknown = new HashMap<>();
        int checked = 0;
        for (Map.Entry<String, ConfigDef> worker : DEFINITIONS.entrySet()) {
            JsonNode service = services.get(worker.getKey());
            assertThat(service.path("build").path("target").asText()).as("%s runs from its slim image", worker.getKey())
                    .isEqualTo("service");
            assertThat(service.path("build").path("args").path("SERVICE").asText()).as("%s's jar", worker.getKey())
                    .isEqualTo(MODULES.get(worker.getKey()));
            assertThat(service.has("command")).as("%s: its image runs the service", worker.getKey()).isFalse();
            Set<String> keys = worker.getValue().names();
            var variables = service.path("environment").fieldNames();
            while (variables.hasNext()) {
                String variable = variables.next();
                String key = ConfigSources.keyOf(variable);
                boolean known = key != null ? keys.contains(key) || key.startsWith(LoopWorkerConfig.KAFKA_PREFIX)
                        : ConfigSources.PROCESS_VARIABLES.contains(variable) || credentials.contains(variable);
                if (!known) {
                    unknown.computeIfAbsent(worker.getKey(), k -> new ArrayList<>()).add(variable);
                }
                checked++;
            }
        }
        assertThat(unknown).as("variables no worker reads").isEmpty();
        assertThat(checked).as("variables checked").isGreaterThanOrEqualTo(10);
    }

    @Test
    void theWorkersReadTheMountedRegistryAndItsCredentialsAreSet() throws Exception {
        for (String worker : List.of("upload-worker", "sender-worker")) {
            JsonNode environment = services.get(worker).path("environment");
            String file = environment.path(ConfigSources.variableOf(LoopWorkerConfig.CHANNELS_FILE)).asText();
            assertThat(services.get(worker).path("volumes").toString()).as("%s mounts the registry", worker)
                    .contains(file);
            credentialVariables().forEach(variable -> assertThat(environment.path(variable).asText())
                    .as("%s: %s", worker, variable).isNotBlank());
            ChannelRegistry registry = ChannelRegistry.load(REGISTRY, variable -> environment.path(variable).asText(null));
            assertThat(registry.ids()).as("the registry %s loads with the compose environment", REGISTRY)
                    .containsExactlyInAnyOrder("demo-360", "demo-meta");
        }
    }

    private static Set<String> credentialVariables() throws Exception {
        JsonNode channels = new ObjectMapper(new YAMLFactory()).readTree(REGISTRY.toFile()).get("channels");
        Set<String> variables = new java.util.TreeSet<>();
        channels.forEach(c -> {
            String credential = c.path("credential").asText();
            if (credential.startsWith("env:")) {
                variables.add(credential.substring(4));
            }
        });
        assertThat(variables).as("credentials of %s", REGISTRY).isNotEmpty();
        return variables;
    }
}
