package io.wabatch.common.observe;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer of a health probe: up when every named check passed. Rendered as
 * {@code {"status":"UP","checks":{"kafka":true,...}}}.
 *
 * @param checks each check by name, in a stable order
 */
public record Health(Map<String, Boolean> checks) {

    public Health {
        checks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(checks));
    }

    /** A health of one check. */
    public static Health of(String check, boolean passed) {
        return new Health(Map.of(check, passed));
    }

    /** Whether every check passed. */
    public boolean up() {
        return checks.values().stream().allMatch(Boolean::booleanValue);
    }

    /** The JSON body of the probe's answer. */
    public String json() {
        StringBuilder out = new StringBuilder("{\"status\":\"").append(up() ? "UP" : "DOWN").append("\",\"checks\":{");
        String separator = "";
        for (Map.Entry<String, Boolean> check : checks.entrySet()) {
            out.append(separator).append('"').append(check.getKey()).append("\":").append(check.getValue());
            separator = ",";
        }
        return out.append("}}").toString();
    }
}
