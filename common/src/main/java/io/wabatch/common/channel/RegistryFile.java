package io.wabatch.common.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wabatch.common.api.ApiEndpoint;
import io.wabatch.common.api.Provider;
import io.wabatch.common.secret.Secret;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Reads the registry file (YAML, or JSON, which YAML includes):
 *
 * <pre>
 * channels:
 *   - id: acme-de
 *     provider: 360dialog            # or meta
 *     base_url: https://waba-v2.360dialog.io
 *     credential: env:ACME_DE_KEY    # or file:/run/secrets/acme-de-key
 *     partition: 0
 *     mps: 80                        # optional, default 80
 *     portfolio_id: "1234567890"     # optional: numbers of one business portfolio share its tier
 *     marketing_messages: true       # optional, Meta only: marketing templates by /marketing_messages
 *     us_marketing_pause: false      # optional, default true: skip marketing templates to US numbers
 *     marketing_cap: 2               # optional: marketing templates per user per window, per portfolio
 *     display_phone_number: "+1 555 078 3881"  # optional: how quality and throughput webhooks name it
 *     max_mps: 1000                  # optional: the most a throughput upgrade raises it to (Meta: 1000)
 * </pre>
 *
 * Secrets never live in the file: {@code credential} names an environment variable or a file.
 */
final class RegistryFile {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private RegistryFile() {
    }

    static List<Channel> read(Path file, UnaryOperator<String> env) {
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new RegistryException(List.of("cannot read channel registry " + file + ": " + e.getMessage()));
        }
        JsonNode list = root == null ? null : root.get("channels");
        if (list == null || !list.isArray()) {
            throw new RegistryException(List.of(file + ": expected a top-level 'channels:' list"));
        }
        List<String> problems = new ArrayList<>();
        List<Channel> channels = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Channel channel = channel(list.get(i), "channels[" + i + "]", env, problems);
            if (channel != null) {
                channels.add(channel);
            }
        }
        if (!problems.isEmpty()) {
            throw new RegistryException(problems);
        }
        return channels;
    }

    private static Channel channel(JsonNode node, String path, UnaryOperator<String> env, List<String> problems) {
        String id = text(node, "id");
        String where = path + (id == null ? "" : " (" + id + ")");
        int before = problems.size();
        require(node, where, problems, "id", "provider", "base_url", "credential", "partition");
        for (String field : new String[] {"partition", "mps", "headroom", "burst", "upload_rate"}) {
            if (node.has(field) && !node.get(field).isNumber()) {
                problems.add(where + ": '" + field + "' must be a number, got " + node.get(field));
            }
        }
        if (problems.size() > before) {
            return null;
        }
        try {
            int mps = node.path("mps").asInt(80);
            double headroom = node.path("headroom").asDouble(Channel.defaultHeadroom(mps));
            ApiEndpoint endpoint = new ApiEndpoint(Provider.parse(text(node, "provider")),
                    URI.create(text(node, "base_url")), text(node, "api_version"),
                    text(node, "phone_number_id"), resolve(text(node, "credential"), env));
            return new Channel(id, endpoint, text(node, "waba_id"), node.path("partition").asInt(-1), mps, headroom,
                    node.path("burst").asInt(Channel.defaultBurst(mps, headroom)),
                    node.path("upload_rate").asDouble(Channel.DEFAULT_UPLOAD_RATE), tier(node.get("tier")),
                    business(node, endpoint), text(node, "display_phone_number"), maxMps(node.get("max_mps"), mps));
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + e.getMessage());
            return null;
        }
    }

    /** The portfolio and the 2026 switches; {@code marketing_messages} is a Meta endpoint of its own. */
    private static Channel.Business business(JsonNode node, ApiEndpoint endpoint) {
        for (String field : new String[] {"marketing_messages", "us_marketing_pause"}) {
            if (node.has(field) && !node.get(field).isBoolean()) {
                throw new IllegalArgumentException("'" + field + "' must be true or false, got " + node.get(field));
            }
        }
        boolean marketingMessages = node.path("marketing_messages").asBoolean(false);
        if (marketingMessages && endpoint.provider() != Provider.META) {
            throw new IllegalArgumentException("'marketing_messages' is a setting of Meta numbers; on 360dialog "
                    + "/messages already routes marketing templates through the Marketing Messages API");
        }
        return new Channel.Business(portfolio(node.get("portfolio_id")), marketingMessages,
                node.path("us_marketing_pause").asBoolean(true), cap(node.get("marketing_cap")));
    }

    /** {@code max_mps}: how far a throughput upgrade may raise the number, at least its {@code mps}; absent: default. */
    private static Integer maxMps(JsonNode node, int mps) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || node.asInt() < mps || node.asInt() > Channel.UPGRADED_MPS) {
            throw new IllegalArgumentException("'max_mps' must be a whole number from the channel's mps (" + mps
                    + ") to " + Channel.UPGRADED_MPS + ", got " + node);
        }
        return node.asInt();
    }

    /** {@code marketing_cap}: marketing templates per user per rolling window, or absent for none. */
    private static Integer cap(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 1) {
            throw new IllegalArgumentException("'marketing_cap' must be a positive number of marketing templates per "
                    + "user per window, got " + node);
        }
        return node.asInt();
    }

    /** {@code portfolio_id}: Meta's id of the business portfolio, digits (quoted or not), or absent. */
    private static String portfolio(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        String id = node.isTextual() || node.isIntegralNumber() ? node.asText().strip() : "";
        if (!id.matches("\\d{1,32}")) {
            throw new IllegalArgumentException("'portfolio_id' must be the business portfolio's id (its digits, as "
                    + "in Meta's Business Manager), got " + node);
        }
        return id;
    }

    /** {@code tier}: a number of recipients per 24 h, or absent / {@code unlimited} for none. */
    private static Integer tier(JsonNode node) {
        if (node == null || node.isNull() || "unlimited".equalsIgnoreCase(node.asText())) {
            return null;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber()) {
            throw new IllegalArgumentException("'tier' must be a number of recipients (250, 2000, 10000, 100000) or "
                    + "'unlimited', got " + node);
        }
        return node.asInt();
    }

    /** Resolves {@code env:NAME} or {@code file:PATH}; the message names the reference, never the value. */
    static Secret resolve(String reference, UnaryOperator<String> env) {
        if (reference.startsWith("env:")) {
            String value = env.apply(reference.substring(4));
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("credential " + reference + ": environment variable is not set");
            }
            return Secret.of(value);
        }
        if (reference.startsWith("file:")) {
            try {
                return Secret.of(Files.readString(Path.of(reference.substring(5))));
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException("credential " + reference + ": cannot read a non-empty secret file");
            }
        }
        throw new IllegalArgumentException("credential must be 'env:VARIABLE' or 'file:/path/to/secret'; "
                + "secrets do not belong in the registry file");
    }

    private static void require(JsonNode node, String where, List<String> problems, String... fields) {
        for (String field : fields) {
            if (!node.hasNonNull(field)) {
                problems.add(where + ": '" + field + "' is required");
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
