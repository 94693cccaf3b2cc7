package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A webhook receiver on a free loopback port (the JDK's HTTP server) that answers 200 and keeps every body. */
final class WebhookCatcher implements AutoCloseable {

    private final HttpServer server;
    private final ConcurrentLinkedQueue<JsonNode> bodies = new ConcurrentLinkedQueue<>();

    WebhookCatcher() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", exchange -> {
            try (exchange) {
                bodies.add(RawHttp.MAPPER.readTree(exchange.getRequestBody().readAllBytes()));
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
    }

    /** The settings of {@code PUT /_sandbox/webhooks} that post here, a status every millisecond. */
    String settings() {
        return "{\"url\":\"http://127.0.0.1:" + server.getAddress().getPort() + "/hook\",\"step\":1}";
    }

    /** Every {@code statuses[]} entry received so far, oldest first. */
    List<JsonNode> statuses() {
        return values("statuses");
    }

    /** Every {@code messages[]} entry (inbound message) received so far, oldest first. */
    List<JsonNode> messages() {
        return values("messages");
    }

    /** Every {@code value} (the whole change) received so far, oldest first. */
    List<JsonNode> values() {
        List<JsonNode> values = new ArrayList<>();
        bodies.forEach(body -> body.path("entry").forEach(entry -> entry.path("changes")
                .forEach(change -> values.add(change.path("value")))));
        return values;
    }

    /** Every {@code entry[].id} received so far. */
    List<String> entryIds() {
        List<String> ids = new ArrayList<>();
        bodies.forEach(body -> body.path("entry").forEach(entry -> ids.add(entry.path("id").asText())));
        return ids;
    }

    private List<JsonNode> values(String field) {
        List<JsonNode> found = new ArrayList<>();
        values().forEach(value -> value.path(field).forEach(found::add));
        return found;
    }

    void clear() {
        bodies.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
