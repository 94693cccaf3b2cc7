package io.wabatch.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/** Renders the demo summary for the terminal. */
final class Summaries {

    private Summaries() {
    }

    static String text(JsonNode s) {
        StringBuilder out = new StringBuilder();
        out.append("campaign ").append(s.path("campaign_id").asText())
                .append(s.path("complete").asBoolean() ? " complete" : " INCOMPLETE (timed out)").append('\n');
        line(out, "jobs published", s.path("jobs_published").asText() + " (" + s.path("recipients_published").asText()
                + " recipients)");
        line(out, "messages accepted", s.path("messages_accepted").asText());
        line(out, "messages failed", s.path("messages_failed").asText());
        line(out, "uploads", s.path("uploads").asText() + " for " + s.path("distinct_media").asText()
                + " distinct media (per channel)");
        line(out, "duration", String.format("%.1f s", s.path("duration_ms").asLong() / 1000.0));
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("per_channel").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> c = it.next();
            line(out, "  " + c.getKey(), String.format("%s, %d accepted at %.1f msg/s (pace %.1f), sandbox peak %d/s",
                    c.getValue().path("provider").asText(), c.getValue().path("messages_accepted").asInt(),
                    c.getValue().path("achieved_mps").asDouble(), c.getValue().path("pace_mps").asDouble(),
                    c.getValue().path("sandbox_peak_per_second").asInt()));
        }
        line(out, "template catalogue", catalogue(s.path("template_catalogue")));
        JsonNode checks = s.path("template_checks");
        line(out, "template checks", checks.path("passed").asText() + " passed, " + checks.path("failed").asText()
                + " failed, " + checks.path("unchecked").asText() + " unchecked (template jobs)");
        line(out, "sandbox accepted", s.path("sandbox_accepted").asText());
        line(out, "sandbox duplicates", s.path("sandbox_duplicates").asText() + " (same token), "
                + s.path("sandbox_duplicate_bodies").asText() + " (same body)");
        line(out, "sandbox link media", s.path("sandbox_link_media").asText() + " (media sent by link, not ID)");
        line(out, "sandbox rejected", s.path("sandbox_rejected_by_code").toString());
        return out.toString();
    }

    /** {@code 3 templates in account 1234, 3 in account 5678}, or that there is none. */
    private static String catalogue(JsonNode accounts) {
        if (accounts.isEmpty()) {
            return "none listed (template jobs pass unchecked)";
        }
        StringBuilder text = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = accounts.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> account = it.next();
            text.append(text.length() == 0 ? account.getValue().asInt() + " templates in account "
                    : ", " + account.getValue().asInt() + " in account ").append(account.getKey());
        }
        return text.toString();
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format("  %-20s %s%n", label, value));
    }
}
