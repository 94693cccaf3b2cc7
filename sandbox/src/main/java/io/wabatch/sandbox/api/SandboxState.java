package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.sandbox.api.media.MediaStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything the sandbox remembers, shared by all event loops: numbers, their stats, and media. */
final class SandboxState {

    private final SandboxConfig config;
    private final Map<String, NumberState> byId = new LinkedHashMap<>();
    private final Map<String, NumberState> byApiKey = new HashMap<>();
    private final Map<String, List<NumberState>> byToken = new HashMap<>();
    private final MediaStore media;
    private volatile String baseUrl;

    SandboxState(SandboxConfig config) {
        this.config = config;
        this.media = new MediaStore(config.mediaTtl());
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

    /** Clears stats, messages, uploads and rate windows; keeps the numbers and their current mps. */
    void reset() {
        byId.values().forEach(n -> {
            n.stats().reset();
            n.limiter().reset();
        });
        media.clear();
    }
}
