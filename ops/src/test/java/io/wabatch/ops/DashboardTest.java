package io.wabatch.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wabatch.common.metrics.Metric;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard and its provisioning, checked as files (no Grafana here). */
class DashboardTest {

    private static final String DASHBOARDS_IN_GRAFANA = "/var/lib/grafana/dashboards";

    private static JsonNode dashboard;
    private static JsonNode datasource;
    private static JsonNode provider;

    @BeforeAll
    static void read() throws Exception {
        dashboard = DashboardQueries.read();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        datasource = yaml.readTree(OpsFiles.resolve("grafana/provisioning/datasources/prometheus.yml").toFile())
                .path("datasources").path(0);
        provider = yaml.readTree(OpsFiles.resolve("grafana/provisioning/dashboards/wabatch.yml").toFile())
                .path("providers").path(0);
    }

    @Test
    void provisioningPointsAtComposesPrometheusAndTheDashboardFolder() {
        assertThat(datasource.path("type").asText()).isEqualTo("prometheus");
        assertThat(datasource.path("url").asText()).isEqualTo("http://prometheus:9090");
        assertThat(datasource.path("uid").asText()).isNotBlank();
        assertThat(provider.path("type").asText()).isEqualTo("file");
        assertThat(provider.path("options").path("path").asText()).isEqualTo(DASHBOARDS_IN_GRAFANA);
        assertThat(dashboard.path("uid").asText()).isEqualTo("wabatch");
        assertThat(dashboard.path("title").asText()).isEqualTo("wabatch");
    }

    @Test
    void dockerComposeMountsWhatTheProvisioningExpects() throws Exception {
        JsonNode services = new ObjectMapper(new YAMLFactory())
                .readTree(OpsFiles.resolve("../docker-compose.yml").toFile()).path("services");
        JsonNode grafana = services.path("grafana");
        assertThat(grafana.path("volumes")).extracting(JsonNode::asText)
                .contains("./ops/grafana/provisioning:/etc/grafana/provisioning:ro",
                        "./ops/grafana/dashboards:" + DASHBOARDS_IN_GRAFANA + ":ro");
        assertThat(grafana.path("environment").path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asText())
                .isEqualTo(DASHBOARDS_IN_GRAFANA + "/wabatch.json");
        assertThat(services.path("prometheus").path("volumes")).extracting(JsonNode::asText)
                .contains("./ops/prometheus:/etc/prometheus:ro");
        assertThat(services.path("prometheus").path("command")).extracting(JsonNode::asText)
                .contains("--config.file=/etc/prometheus/prometheus.yml");
        assertThat(services.has("prometheus")).as("the datasource's host").isTrue();
    }

    @Test
    void hasChannelAndInstanceVariablesFromLabelValues() {
        assertThat(DashboardQueries.variables())
                .extracting(DashboardQueries.Variable::name, DashboardQueries.Variable::label)
                .containsExactlyInAnyOrder(tuple("channel", "channel"), tuple("instance", "instance"));
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            assertThat(variable.path("query").path("query").asText()).as(variable.path("name").asText())
                    .isEqualTo(variable.path("definition").asText());
            assertThat(variable.path("includeAll").asBoolean() && variable.path("multi").asBoolean())
                    .as("%s offers All and several values", variable.path("name").asText()).isTrue();
            assertThat(variable.path("allValue").asText()).isEqualTo(".*");
        }
    }

    @Test
    void everyPanelHasAQueryAndAUniqueId() {
        List<String> problems = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        for (JsonNode row : dashboard.path("panels")) {
            if (!ids.add(row.path("id").asInt())) {
                problems.add("id " + row.path("id") + " is used twice");
            }
        }
        for (JsonNode panel : DashboardQueries.panels(dashboard)) {
            String title = panel.path("title").asText();
            if (panel.path("targets").isEmpty()) {
                problems.add(title + ": no query");
            }
            panel.path("targets").forEach(target -> {
                if (target.path("expr").asText().isBlank()) {
                    problems.add(title + " " + target.path("refId").asText() + ": empty expr");
                }
            });
        }
        assertThat(problems).isEmpty();
        assertThat(DashboardQueries.panels(dashboard)).hasSizeGreaterThanOrEqualTo(20);
    }

    @Test
    void everyPanelQueryAndVariableUsesTheProvisionedDatasource() {
        String uid = datasource.path("uid").asText();
        List<String> elsewhere = new ArrayList<>();
        for (JsonNode panel : DashboardQueries.panels(dashboard)) {
            checkDatasource(panel, panel.path("title").asText(), uid, elsewhere);
            for (JsonNode target : panel.path("targets")) {
                String where = panel.path("title").asText() + " " + target.path("refId").asText();
                checkDatasource(target, where, uid, elsewhere);
            }
        }
        dashboard.path("templating").path("list").forEach(variable ->
                checkDatasource(variable, "$" + variable.path("name").asText(), uid, elsewhere));
        assertThat(elsewhere).as("datasources other than the provisioned %s", uid).isEmpty();
    }

    @Test
    void readsExactlyTheMetricsItLists() {
        Set<String> used = new TreeSet<>();
        DashboardQueries.all().forEach(query -> used.addAll(PromQl.metricNames(query.template())));
        DashboardQueries.variables().forEach(variable -> used.addAll(PromQl.metricNames(variable.metric())));
        assertThat(used).as("metrics the dashboard reads; DashboardQueries.METRICS must list them")
                .containsExactlyInAnyOrderElementsOf(DashboardQueries.METRICS);
    }

    @Test
    void everyWabatchMetricItAndTheAlertsReadIsInTheMetricCatalogue() {
        Set<String> catalogued = new TreeSet<>();
        for (Metric metric : Metric.values()) {
            String name = metric.prometheusName();
            catalogued.add(name);
            if (metric.kind() == Metric.Kind.TIMER || metric.kind() == Metric.Kind.HISTOGRAM) {
                List.of("_count", "_sum", "_max", "_bucket").forEach(suffix -> catalogued.add(name + suffix));
            }
        }
        Set<String> read = new TreeSet<>(DashboardQueries.METRICS);
        read.removeIf(name -> !name.startsWith("wabatch_"));
        assertThat(read).as("wabatch metrics the dashboard (and, through METRICS, the alerts) read").isNotEmpty()
                .allSatisfy(name -> assertThat(catalogued).as("the catalogue (io.wabatch.common.metrics.Metric)")
                        .contains(name));
    }

    @Test
    void queriesForPrometheusHaveTheVariablesReplaced() {
        List<DashboardQueries.Query> queries = DashboardQueries.all();
        int targets = DashboardQueries.panels(dashboard).stream().mapToInt(panel -> panel.path("targets").size()).sum();
        assertThat(queries).hasSize(targets);
        assertThat(queries).allSatisfy(query -> assertThat(query.expr()).doesNotContain("$"));
        assertThat(queries).filteredOn(query -> query.template().contains("$__rate_interval"))
                .allSatisfy(query -> assertThat(query.expr()).contains("[1m]"));
        assertThat(queries).filteredOn(query -> query.template().contains("$channel"))
                .allSatisfy(query -> assertThat(query.expr()).contains("channel=~\".*\""));
    }

    @Test
    void showsApiLatencyQuantilesFromTheHistogram() {
        assertThat(DashboardQueries.all()).extracting(DashboardQueries.Query::template)
                .anySatisfy(expr -> assertThat(expr).startsWith("histogram_quantile(0.5,"))
                .anySatisfy(expr -> assertThat(expr).startsWith("histogram_quantile(0.95,"))
                .anySatisfy(expr -> assertThat(expr).startsWith("histogram_quantile(0.99,"));
    }

    private static void checkDatasource(JsonNode node, String where, String uid, List<String> elsewhere) {
        JsonNode ds = node.path("datasource");
        if (!"prometheus".equals(ds.path("type").asText()) || !uid.equals(ds.path("uid").asText())) {
            elsewhere.add(where + ": " + ds);
        }
    }
}
