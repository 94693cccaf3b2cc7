package io.wabatch.common.config;

import java.util.List;
import org.apache.kafka.common.config.ConfigDef;

/** Renders a {@link ConfigDef} as the Markdown table of the configuration reference. */
public final class ConfigDocs {

    private ConfigDocs() {
    }

    /** One row per key: key, environment variable, type, default, valid values, description. */
    public static String markdown(ConfigDef def) {
        StringBuilder out = new StringBuilder();
        out.append("| key | environment variable | type | default | valid values | description |\n");
        out.append("|---|---|---|---|---|---|\n");
        List<ConfigDef.ConfigKey> keys = def.configKeys().values().stream()
                .sorted((a, b) -> a.name.compareTo(b.name)).toList();
        for (ConfigDef.ConfigKey key : keys) {
            out.append("| `").append(key.name).append("` | `").append(ConfigSources.variableOf(key.name))
                    .append("` | ").append(key.type.name().toLowerCase(java.util.Locale.ROOT))
                    .append(" | ").append(defaultOf(key))
                    .append(" | ").append(key.validator == null ? "" : escape(key.validator.toString()))
                    .append(" | ").append(escape(key.documentation)).append(" |\n");
        }
        return out.toString();
    }

    private static String defaultOf(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        Object value = key.defaultValue;
        if (value == null) {
            return "(none)";
        }
        String text = value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                : String.valueOf(value);
        return text.isEmpty() ? "\"\"" : "`" + escape(text) + "`";
    }

    private static String escape(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
