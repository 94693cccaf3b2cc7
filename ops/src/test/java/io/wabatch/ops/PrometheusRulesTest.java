package io.wabatch.ops;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus scrape config and alert rules pass promtool's checks and the rules' unit tests
 * ({@code prometheus/alerts.test.yml}); every dashboard query is valid PromQL. The promtool tests
 * need Prometheus' Debian package (see {@link ExternalTool}); the structural ones do not.
 */
@Timeout(120)
class PrometheusRulesTest {

    private static final String CONFIG = "prometheus/prometheus.yml";
    private static final String RULES = "prometheus/alerts.yml";
    private static final String RULE_TESTS = "prometheus/alerts.test.yml";
    private static final Set<String> ALERTS = Set.of("WabatchDlqRateHigh", "WabatchChannelPaused",
            "WabatchRateLimited", "WabatchConsumerLagGrowing", "WabatchUploadsFailing",
            "WabatchNoSendsWhileLagging", "WabatchInDoubtJobsWaiting", "WabatchCampaignAutoPaused", "WabatchTargetDown",
            "WabatchWebhooksUnparsed");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void scrapeConfigPassesPromtoolCheck() throws Exception {
        promtool("check", "config", OpsFiles.resolve(CONFIG).toString());
    }

    @Test
    void alertRulesPassPromtoolCheck() throws Exception {
        promtool("check", "rules", OpsFiles.resolve(RULES).toString());
    }

    @Test
    void alertRulesPassTheirUnitTests() throws Exception {
        promtool("test", "rules", OpsFiles.resolve(RULE_TESTS).toString());
    }

    @Test
    void everyDashboardQueryIsValidPromQl(@TempDir Path dir) throws Exception {
        List<Map<String, String>> rules = new ArrayList<>();
        for (DashboardQueries.Query query : DashboardQueries.all()) {
            rules.add(Map.of("record", "dashboard:panel" + query.panelId() + "_" + query.refId(), "expr", query.expr()));
        }
        Path file = dir.resolve("dashboard-queries.yml");
        YAML.writeValue(file.toFile(), Map.of("groups", List.of(Map.of("name", "dashboard", "rules", rules))));
        promtool("check", "rules", file.toString());
    }

    @Test
    void everyScrapeTargetIsADockerComposeServiceOnItsOwnPort() throws Exception {
        JsonNode services = YAML.readTree(OpsFiles.resolve("../docker-compose.yml").toFile()).path("services");
        Set<String> ports = new HashSet<>();
        for (JsonNode job : YAML.readTree(OpsFiles.resolve(CONFIG).toFile()).path("scrape_configs")) {
            for (JsonNode target : job.path("static_configs").findValues("targets")) {
                for (JsonNode hostPort : target) {
                    String[] parts = hostPort.asText().split(":");
                    if (!"localhost".equals(parts[0])) {
                        assertThat(services.has(parts[0])).as("%s is a docker-compose service", parts[0]).isTrue();
                    }
                    assertThat(ports.add(parts[1])).as("port %s is used once", parts[1]).isTrue();
                }
            }
        }
    }

    @Test
    void rulesAreTheIssuesAlerts() throws Exception {
        assertThat(alerts().keySet()).containsExactlyInAnyOrderElementsOf(ALERTS);
    }

    @Test
    void everyAlertWaitsHasASeverityAndSaysWhatToDo() throws Exception {
        alerts().forEach((name, rule) -> {
            assertThat(rule.path("for").asText()).as("%s for", name).matches("[1-9][0-9]*[smh]");
            assertThat(rule.path("labels").path("severity").asText()).as("%s severity", name)
                    .isIn("warning", "critical");
            assertThat(rule.path("annotations").path("summary").asText()).as("%s summary", name).isNotBlank();
            assertThat(rule.path("annotations").path("description").asText()).as("%s description", name)
                    .hasSizeGreaterThan(100);
        });
    }

    @Test
    void everyAlertIsTestedFiringAndNotFiring() throws Exception {
        Set<String> fires = new HashSet<>();
        Set<String> staysQuiet = new HashSet<>();
        for (JsonNode test : YAML.readTree(OpsFiles.resolve(RULE_TESTS).toFile()).path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                String name = check.path("alertname").asText();
                (check.path("exp_alerts").isEmpty() ? staysQuiet : fires).add(name);
            }
        }
        assertThat(fires).as("alerts with a test where they fire").containsAll(ALERTS);
        assertThat(staysQuiet).as("alerts with a test where they do not fire").containsAll(ALERTS);
    }

    @Test
    void alertsReadOnlyMetricsTheDashboardKnows() throws Exception {
        Set<String> unknown = new TreeSet<>();
        alerts().values().forEach(rule -> unknown.addAll(PromQl.metricNames(rule.path("expr").asText())));
        unknown.removeAll(DashboardQueries.METRICS);
        unknown.remove("up");
        assertThat(unknown).as("metrics in alerts.yml missing from DashboardQueries.METRICS").isEmpty();
    }

    private static Map<String, JsonNode> alerts() throws Exception {
        Map<String, JsonNode> alerts = new LinkedHashMap<>();
        for (JsonNode group : YAML.readTree(OpsFiles.resolve(RULES).toFile()).path("groups")) {
            group.path("rules").forEach(rule -> alerts.put(rule.path("alert").asText(), rule));
        }
        return alerts;
    }

    /** Runs promtool and asserts that it exits with 0, showing its output otherwise. */
    private static void promtool(String... args) throws Exception {
        Path promtool = ExternalTool.require("promtool", "apt-get install prometheus");
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile("promtool", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(60, SECONDS)) {
                process.destroyForcibly();
                fail("%s did not finish within 60 s:%n%s", String.join(" ", command), Files.readString(output));
            }
            assertThat(process.exitValue()).as("%s exited with %d:%n%s", String.join(" ", command),
                    process.exitValue(), Files.readString(output)).isZero();
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
