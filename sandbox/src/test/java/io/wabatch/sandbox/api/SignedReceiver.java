package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver on a free loopback port (the JDK's HTTP server) that checks Meta's signature itself
 * ({@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>}, compared in constant time), keeps
 * every POST and answers the status it is told to (200 by default).
 */
final class SignedReceiver implements AutoCloseable {

    /** One POST: its raw body, parsed, and whether its signature matched the secret. */
    record Post(byte[] raw, JsonNode json, boolean signatureValid) {

        /** {@code entry[0].changes[0].field}. */
        String field() {
            return json.path("entry").path(0).path("changes").path(0).path("field").asText();
        }

        JsonNode value() {
            return json.path("entry").path(0).path("changes").path(0).path("value");
        }

        String entryId() {
            return json.path("entry").path(0).path("id").asText();
        }
    }

    private final String secret;
    private final HttpServer server;
    private final ConcurrentLinkedQueue<Post> posts = new ConcurrentLinkedQueue<>();
    private volatile int answer = 200;

    SignedReceiver(String secret) {
        this.secret = secret;
        try {
            // A deep accept queue: the sandbox opens many connections at once (statuses every millisecond), and a
            // full queue drops connection attempts, which the client retries only after seconds.
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", exchange -> {
            try (exchange) {
                byte[] raw = exchange.getRequestBody().readAllBytes();
                String header = exchange.getRequestHeaders().getFirst("X-Hub-Signature-256");
                posts.add(new Post(raw, RawHttp.MAPPER.readTree(raw), valid(header, raw)));
                exchange.sendResponseHeaders(answer, -1);
            }
        });
        // One thread per exchange: the sandbox posts statuses and events over several connections at once.
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "signed-receiver");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    /** {@code PUT /_sandbox/webhooks} settings posting here, signed with the secret, a status every millisecond. */
    String settings() {
        return "{\"url\":\"http://127.0.0.1:" + server.getAddress().getPort() + "/hook\",\"app_secret\":\"" + secret
                + "\",\"step\":1}";
    }

    /** Answers every following POST with {@code status}. */
    void answer(int status) {
        answer = status;
    }

    List<Post> posts() {
        return List.copyOf(posts);
    }

    /** The posts of one field, oldest first. */
    List<Post> posts(String field) {
        return posts.stream().filter(p -> p.field().equals(field)).toList();
    }

    /** Every {@code statuses[]} entry received, oldest first. */
    List<JsonNode> statuses(Predicate<JsonNode> filter) {
        return posts("messages").stream().flatMap(p -> {
            List<JsonNode> found = new java.util.ArrayList<>();
            p.value().path("statuses").forEach(found::add);
            return found.stream();
        }).filter(filter).toList();
    }

    void clear() {
        posts.clear();
        answer = 200;
    }

    private boolean valid(String header, byte[] raw) {
        if (header == null || !header.startsWith("sha256=")) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal(raw);
            byte[] given = HexFormat.of().parseHex(header.substring(7));
            return MessageDigest.isEqual(expected, given);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
