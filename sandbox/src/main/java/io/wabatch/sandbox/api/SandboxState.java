package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.sandbox.api.media.MediaStore;
import io.wabatch.sandbox.api.stats.PairLimiter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the sandbox remembers, shared by all event loops: numbers, their stats, media, and the
 * runtime behaviour (pair limit, latency, faults, storms) with its random source.
 */
final class SandboxState {

    private final SandboxConfig config;
    private final Map<String, NumberState> byId = new LinkedHashMap<>();
    private final Map<String, NumberState> byApiKey = new HashMap<>();
    private final Map<String, List<NumberState>> byToken = new HashMap<>();
    private final MediaStore media;
    private final PairLimiter pairs;
    private final SandboxRandom random;
    private final AnswerDelay answerDelay;
    private final FaultInjector faults;
    private final StatusWebhooks webhooks;
    private final Conversations conversations = new Conversations();
    private volatile PairLimit pairLimit;
    private volatile String baseUrl;

    SandboxState(SandboxConfig config, io.vertx.core.Vertx vertx) {
        this.config = config;
        this.media = new MediaStore(config.mediaTtl());
        this.pairLimit = config.pairLimit();
        this.pairs = new PairLimiter(pairLimit.window(), pairLimit.burst());
        this.random = new SandboxRandom(config.seed());
        this.answerDelay = new AnswerDelay(config.latency(), random);
        this.faults = new FaultInjector(config.faults(), config.storm(), random);
        this.webhooks = new StatusWebhooks(vertx, WebhookSettings.off(), config.seed());
        for (SandboxNumber number : config.numbers()) {
            NumberState state = new NumberState(number);
            byId.put(number.id(), state);
            if (number.apiKey() != null) {
                byApiKey.put(number.apiKey(), state);
            }
            if (number.accessToken() != null) {
                byToken.computeIfAbsent(number.accessToken(), t -> new ArrayList<>()).add(state);
            }
        }
    }

    SandboxConfig config() {
        return config;
    }

    /** {@code http://host:port}, known once the first server is bound. */
    String baseUrl() {
        return baseUrl;
    }

    void baseUrl(String url) {
        baseUrl = url;
    }

    MediaStore media() {
        return media;
    }

    PairLimiter pairs() {
        return pairs;
    }

    PairLimit pairLimit() {
        return pairLimit;
    }

    /** Changes the pair limit at once and forgets every pair's bucket. */
    synchronized void pairLimit(PairLimit limit) {
        pairLimit = limit;
        pairs.configure(limit.window(), limit.burst());
    }

    AnswerDelay answerDelay() {
        return answerDelay;
    }

    FaultInjector faults() {
        return faults;
    }

    StatusWebhooks webhooks() {
        return webhooks;
    }

    Conversations conversations() {
        return conversations;
    }

    /** The runtime settings as served by {@code GET /_sandbox/settings}. */
    ObjectNode settingsJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("pair_limit", SettingsJson.toJson(pairLimit).put("tracked_pairs", pairs.trackedPairs()));
        root.set("latency", SettingsJson.toJson(answerDelay.latency()));
        root.set("faults", SettingsJson.toJson(faults.faults()).put("held_requests", faults.heldRequests()));
        root.set("storms", faults.storms().toJson());
        root.set("webhooks", webhooks.settings().toJson());
        root.set("policy", conversations.toJson());
        root.put("seed", random.seed());
        return root;
    }

    Optional<NumberState> number(String id) {
        return Optional.ofNullable(id == null ? null : byId.get(id));
    }

    /** The number to fetch or fail with a message naming the unknown id. */
    NumberState requireNumber(String id) {
        return number(id).orElseThrow(() -> new IllegalArgumentException("unknown number '" + id
                + "'; configured: " + byId.keySet()));
    }

    Collection<NumberState> numbers() {
        return byId.values();
    }

    Optional<NumberState> byApiKey(String key) {
        return Optional.ofNullable(key == null ? null : byApiKey.get(key));
    }

    List<NumberState> byToken(String token) {
        return token == null ? List.of() : byToken.getOrDefault(token, List.of());
    }

    /** {@code {"numbers":{"<id>":{...}}}} as served by {@code GET /_sandbox/stats}. */
    ObjectNode statsJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode numbers = root.putObject("numbers");
        byId.values().forEach(n -> {
            ObjectNode node = numbers.putObject(n.id());
            node.put("mps", n.limiter().mps());
            node.setAll(n.stats().snapshot().toJson());
        });
        return root;
    }

    /** Accepted messages of one number, or of all when {@code id} is null. */
    ArrayNode messagesJson(String id) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        Collection<NumberState> selected = id == null ? byId.values() : List.of(requireNumber(id));
        selected.forEach(n -> n.stats().messages().forEach(m -> array.add(m.toJson())));
        return array;
    }

    /** Uploads of one number, or of all when {@code id} is null. */
    ArrayNode uploadsJson(String id) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        media.all().stream().filter(m -> id == null || m.number().equals(id)).forEach(m -> array.add(m.toJson()));
        return array;
    }

    /**
     * Clears stats, messages, uploads, webhook ground truth, rate windows and pair buckets, and restarts the random draws
     * from the seed; keeps the numbers, their current mps and the runtime settings (pair limit,
     * latency, faults, storms).
     */
    void reset() {
        byId.values().forEach(n -> {
            n.stats().reset();
            n.limiter().reset();
        });
        pairs.reset();
        webhooks.reset();
        conversations.reset();
        random.reseed();
        media.clear();
    }
}
