package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wabatch.sandbox.api.templates.TemplateCatalogue;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;

/** Reads {@link SandboxConfig} from JSON, rejecting unknown keys so a typo is not silently a default. */
final class SandboxConfigJson {

    private static final Set<String> TOP_KEYS =
            Set.of("host", "port", "media_ttl", "rate_limit_http_status", "upload_dir", "event_loops", "numbers",
                    "pair_limit", "latency", "faults", "storm", "seed", "ops_port", "templates");
    private static final Set<String> NUMBER_KEYS = Set.of("id", "display_phone", "api_key", "access_token", "mps",
            "waba_id", "portfolio_id", "marketing_messages_onboarded");

    private SandboxConfigJson() {
    }

    static SandboxConfig read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": expected a JSON object");
        }
        checkKeys(root, TOP_KEYS, "");
        SandboxConfig.Builder builder = SandboxConfig.builder()
                .host(root.path("host").asText("127.0.0.1"))
                .port(integer(root, "port", 0))
                .rateLimitHttpStatus(integer(root, "rate_limit_http_status", 400))
                .eventLoops(integer(root, "event_loops", 2));
        if (root.hasNonNull("ops_port")) {
            builder.opsPort(integer(root, "ops_port", 0));
        }
        if (root.hasNonNull("media_ttl")) {
            builder.mediaTtl(duration(root.get("media_ttl").asText()));
        }
        if (root.hasNonNull("upload_dir")) {
            builder.uploadDir(Path.of(root.get("upload_dir").asText()));
        }
        if (root.has("pair_limit")) {
            builder.pairLimit(SettingsJson.pairLimit(root.get("pair_limit")));
        }
        builder.latency(SettingsJson.latency(root.get("latency")));
        builder.faults(SettingsJson.faults(root.get("faults")));
        if (root.hasNonNull("storm")) {
            builder.storm(SettingsJson.storm(root.get("storm")));
        }
        if (root.hasNonNull("seed")) {
            JsonNode seed = root.get("seed");
            if (!seed.isIntegralNumber() || !seed.canConvertToLong()) {
                throw new IllegalArgumentException("'seed' must be an integer, got " + seed);
            }
            builder.seed(seed.asLong());
        }
        JsonNode numbers = root.path("numbers");
        if (!numbers.isArray()) {
            throw new IllegalArgumentException(file + ": 'numbers' must be an array of numbers");
        }
        for (int i = 0; i < numbers.size(); i++) {
            builder.number(number(numbers.get(i), "numbers[" + i + "]"));
        }
        templates(root.get("templates"), file, builder);
        return builder.build();
    }

    /**
     * {@code "templates": {"<waba-id>": [templates...] | "sample" | "<file of templates, relative to this one>"}}.
     */
    private static void templates(JsonNode node, Path file, SandboxConfig.Builder builder) {
        if (node == null || node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("'templates' must map WhatsApp Business Account ids to catalogues");
        }
        node.fields().forEachRemaining(entry -> {
            JsonNode value = entry.getValue();
            TemplateCatalogue catalogue;
            try {
                if (value.isTextual() && value.asText().equals("sample")) {
                    catalogue = TemplateCatalogue.sample();
                } else if (value.isTextual()) {
                    Path dir = file.toAbsolutePath().getParent();
                    catalogue = TemplateCatalogue.fromFile(dir == null ? Path.of(value.asText())
                            : dir.resolve(value.asText()));
                } else {
                    catalogue = TemplateCatalogue.fromJson(value);
                }
            } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                throw new IllegalArgumentException("templates." + entry.getKey() + ": " + e.getMessage(), e);
            }
            builder.templates(entry.getKey(), catalogue);
        });
    }

    private static SandboxNumber number(JsonNode node, String where) {
        checkKeys(node, NUMBER_KEYS, where + ".");
        JsonNode onboarded = node.get("marketing_messages_onboarded");
        if (onboarded != null && !onboarded.isNull() && !onboarded.isBoolean()) {
            throw new IllegalArgumentException("'" + where + ".marketing_messages_onboarded' must be true or false,"
                    + " got " + onboarded);
        }
        return new SandboxNumber(text(node, "id"), text(node, "display_phone"), text(node, "api_key"),
                text(node, "access_token"), integer(node, "mps", SandboxNumber.DEFAULT_MPS), text(node, "waba_id"),
                text(node, "portfolio_id"), onboarded != null && onboarded.asBoolean());
    }

    private static String text(JsonNode node, String key) {
        return node.hasNonNull(key) ? node.get(key).asText() : null;
    }

    private static int integer(JsonNode node, String key, int defaultValue) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new IllegalArgumentException("'" + key + "' must be an integer, got " + value);
        }
        return value.asInt();
    }

    private static Duration duration(String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("media_ttl must be an ISO-8601 duration such as P30D or PT10M,"
                    + " got '" + text + "'", e);
        }
    }

    private static void checkKeys(JsonNode node, Set<String> allowed, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("unknown config key '" + prefix + key + "'; known: " + allowed);
            }
        }
    }
}
