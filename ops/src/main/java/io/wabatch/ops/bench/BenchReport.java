package io.wabatch.ops.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.Json;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one scenario measured: the JSON object of the contract ({@code scenario},
 * {@code duration_s}, {@code machine}, {@code features}, then the scenario's figures) and a table
 * of the same figures against their targets, for people.
 */
public final class BenchReport {

    private final ObjectNode json = Json.mapper().createObjectNode();
    private final List<String[]> rows = new ArrayList<>();

    BenchReport(String scenario, double durationSeconds) {
        json.put("scenario", scenario);
        json.put("duration_s", durationSeconds);
        json.put("date", Instant.now().toString());
        json.set("machine", machine());
        json.putObject("features");
    }

    /** The JSON object (figures are added to it directly). */
    public ObjectNode json() {
        return json;
    }

    ObjectNode features() {
        return (ObjectNode) json.get("features");
    }

    /** A table row: what was measured, its value, the target and whether it was met (null: no target). */
    void row(String figure, String value, String target, Boolean met) {
        rows.add(new String[] {figure, value, target == null ? "" : target,
                met == null ? "" : met ? "met" : "MISSED"});
    }

    /** The figures as a fixed-width table. */
    public String table() {
        int[] widths = {6, 5, 6, 0};
        String[] header = {"figure", "value", "target", ""};
        List<String[]> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (String[] row : all) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder("wabatch bench " + json.get("scenario").asText() + "\n");
        for (String[] row : all) {
            out.append(String.format(Locale.ROOT, "  %-" + widths[0] + "s  %" + widths[1] + "s  %-" + widths[2] + "s  %s%n",
                    (Object[]) row));
        }
        return out.toString();
    }

    /** Writes the JSON object to {@code file}. */
    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
    }

    static String format(double value) {
        return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.3f", value);
    }

    /** Rounded for the JSON: three decimals. */
    static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static ObjectNode machine() {
        ObjectNode machine = Json.mapper().createObjectNode();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        machine.put("memory_mb", os.getTotalMemorySize() / 1_048_576);
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        machine.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("cpu", cpuModel());
        return machine;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
