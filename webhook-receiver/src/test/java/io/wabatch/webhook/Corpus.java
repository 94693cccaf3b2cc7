package io.wabatch.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.common.contract.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The webhook corpus of src/test/resources/webhooks: bodies we wrote from Meta's documented shapes of
 * every field and every odd shape the receiver must take (expected.json says what each one yields),
 * and signed bodies that are no webhook at all (unparseable.json).
 */
final class Corpus {

    /**
     * One body and what the receiver must make of it.
     *
     * @param unparsed the reason its raw bytes go to the unparsed topic, or null
     */
    record Case(String name, byte[] body, int statuses, int inbound, int platform, String unparsed) {

        int events() {
            return statuses + inbound + platform;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final String DIR = "/webhooks/";

    private Corpus() {
    }

    /** The webhooks, as listed in expected.json. */
    static List<Case> webhooks() {
        List<Case> cases = new ArrayList<>();
        read("expected.json").path("files").fields().forEachRemaining(file -> {
            JsonNode expected = file.getValue();
            cases.add(new Case(file.getKey(), bytes(file.getKey()), expected.path("status").asInt(),
                    expected.path("inbound").asInt(), expected.path("platform").asInt(),
                    expected.path("unparsed").isTextual() ? expected.path("unparsed").asText() : null));
        });
        return cases;
    }

    /** The bodies that are no webhook, each with its reason. */
    static List<Case> unparseable() {
        List<Case> cases = new ArrayList<>();
        for (JsonNode body : read("unparseable.json").path("bodies")) {
            cases.add(new Case(body.path("name").asText(), body.path("body").asText().getBytes(StandardCharsets.UTF_8),
                    0, 0, 0, body.path("reason").asText()));
        }
        return cases;
    }

    /** Every body, webhooks first. */
    static List<Case> all() {
        List<Case> all = new ArrayList<>(webhooks());
        all.addAll(unparseable());
        return all;
    }

    /** The names of the JSON files in the corpus folder other than the two lists. */
    static List<String> files() {
        try (Stream<Path> files = Files.list(Path.of(Corpus.class.getResource(DIR).toURI()))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json") && !n.equals("expected.json") && !n.equals("unparseable.json"))
                    .sorted().toList();
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String name) {
        try {
            return Json.mapper().readTree(bytes(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(String name) {
        try (InputStream in = Corpus.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("no corpus file " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
