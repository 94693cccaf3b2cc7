package io.wabatch.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every query of the wabatch Grafana dashboard ({@code ops/grafana/dashboards/wabatch.json}) in a
 * form Prometheus' HTTP API takes: the dashboard's variables replaced by what "All" selects
 * ({@code $channel}, {@code $instance} → {@code .*}), {@code $__rate_interval} by {@code 1m} and
 * {@code $__range} by {@code 1h}.
 * For tests that check the dashboard against Prometheus and the metric catalogue.
 */
public final class DashboardQueries {

    /** The dashboard, relative to {@code ops/}. */
    public static final String DASHBOARD = "grafana/dashboards/wabatch.json";

    /**
     * Every metric the dashboard reads (panels and variables), by its Prometheus name.
     * {@code DashboardTest} keeps this list exact, so it can be compared with the metric catalogue.
     */
    public static final Set<String> METRICS = Set.of(
            "wabatch_sender_messages_total",
            "wabatch_sender_pace_configured",
            "wabatch_sender_pace_current",
            "wabatch_sender_pace_inbound",
            "wabatch_sender_token_wait_seconds_sum",
            "wabatch_sender_token_wait_seconds_count",
            "wabatch_sender_token_wait_seconds_max",
            "wabatch_sender_in_flight",
            "wabatch_sender_api_latency_seconds_bucket",
            "wabatch_sender_errors_total",
            "wabatch_sender_retries_total",
            "wabatch_sender_deferred_total",
            "wabatch_sender_channel_state",
            "wabatch_sender_channel_waiting",
            "wabatch_sender_ledger_jobs",
            "wabatch_dlq_records_total",
            "wabatch_upload_uploads_total",
            "wabatch_upload_bytes_total",
            "wabatch_upload_cache_total",
            "wabatch_upload_spool_bytes",
            "wabatch_upload_upload_latency_seconds_sum",
            "wabatch_upload_upload_latency_seconds_count",
            "wabatch_upload_download_latency_seconds_sum",
            "wabatch_upload_download_latency_seconds_count",
            "wabatch_kafka_consumer_lag",
            "wabatch_funnel_messages_total",
            "wabatch_webhook_requests_total",
            "wabatch_webhook_unparsed_total",
            "wabatch_funnel_auto_pauses_total",
            "wabatch_funnel_platform_actions_total",
            "wabatch_sender_platform_actions_total",
            "wabatch_funnel_priced_messages_total",
            "wabatch_funnel_estimated_cost_total",
            "jvm_memory_used_bytes",
            "process_cpu_usage");

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(channel|instance)}?");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*(.+?)\\s*,\\s*(\\w+)\\s*\\)");

    private DashboardQueries() {
    }

    /**
     * One query of one panel.
     *
     * @param template the expression as the dashboard holds it, with Grafana's variables
     */
    public record Query(int panelId, String panel, String refId, String template) {

        /** The expression to send to Prometheus. */
        public String expr() {
            return substitute(template);
        }
    }

    /** A dashboard variable filled from {@code label_values(metric, label)}. */
    public record Variable(String name, String metric, String label) {
    }

    /** Every panel's queries, in the dashboard's order. */
    public static List<Query> all() {
        return all(read());
    }

    static List<Query> all(JsonNode dashboard) {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query(panel.path("id").asInt(), panel.path("title").asText(),
                        target.path("refId").asText(), target.path("expr").asText()));
            }
        }
        return queries;
    }

    /** The dashboard's variables. */
    public static List<Variable> variables() {
        return variables(read());
    }

    static List<Variable> variables(JsonNode dashboard) {
        List<Variable> variables = new ArrayList<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            String definition = variable.path("definition").asText();
            Matcher m = LABEL_VALUES.matcher(definition);
            if (!m.matches()) {
                throw new IllegalStateException("variable " + variable.path("name").asText()
                        + " is not label_values(metric, label): " + definition);
            }
            variables.add(new Variable(variable.path("name").asText(), m.group(1), m.group(2)));
        }
        return variables;
    }

    /** {@code template} with the dashboard's variables replaced; fails on a variable it does not know. */
    public static String substitute(String template) {
        String expr = VARIABLE.matcher(template.replace("$__rate_interval", "1m").replace("$__range", "1h")).replaceAll(".*");
        if (expr.contains("$")) {
            throw new IllegalStateException("a variable DashboardQueries does not replace: " + template);
        }
        return expr;
    }

    /** The panels that show data, also those inside collapsed rows; rows themselves are left out. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if ("row".equals(panel.path("type").asText())) {
                panel.path("panels").forEach(panels::add);
            } else {
                panels.add(panel);
            }
        }
        return panels;
    }

    static JsonNode read() {
        try {
            return new ObjectMapper().readTree(OpsFiles.resolve(DASHBOARD).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
