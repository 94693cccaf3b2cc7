package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The request-body examples of Meta's OpenAPI spec for sending messages (POST {@code /messages} and
 * {@code /marketing_messages}), read from the test resource {@value #SPEC}, and a way to make them
 * sendable. The spec is a corpus, not a validator (its schemas reject its own examples).
 *
 * <p>{@link #fill} replaces placeholders with real values: media IDs and links from the caller (the
 * sandbox's tests upload media and serve links from a local origin; the workers' tests use fixed fake
 * ones), {@value #PHONE} for a placeholder recipient, a placeholder filename with the media kind's
 * {@linkplain #SAMPLE_FOR sample}, and a header {@code type} placeholder with the type of what the
 * header holds ("Send Multi-Product Message" has {@code "header":{"type":"<HEADER_TYPE>","text":...}};
 * a product list takes only a text header, so the filled value is {@code text}). Any other
 * placeholder string becomes {@code sample-<field name>}.
 *
 * <p>Public and in the sandbox's test-jar so that other modules replay the same corpus.
 */
public final class SpecExamples {

    public static final String SPEC = "openapi/meta-business-messaging-openapi-v23.0.yaml";
    /** {@code /marketing_messages} examples are template message bodies; they are sent to {@code /messages}. */
    public static final List<String> PATHS =
            List.of("/{Version}/{Phone-Number-ID}/messages", "/{Version}/{Phone-Number-ID}/marketing_messages");
    /** The names a media object sits under, wherever it is. */
    public static final Set<String> MEDIA = Set.of("audio", "document", "image", "sticker", "video");
    /** A sample file of the sandbox's media origin for each media kind. */
    public static final Map<String, String> SAMPLE_FOR = Map.of("audio", "voice.ogg", "document", "sample.pdf",
            "image", "sample.jpg", "sticker", "sticker.webp", "video", "sample.mp4");
    /** The recipient a placeholder {@code to} becomes. */
    public static final String PHONE = "+16505551234";
    /**
     * Examples that are not valid sends, by name:
     * "Send typing indicator and read receipt" marks a message read; it has no recipient and is no send.
     * "Send Reply to List Message" omits {@code "type":"interactive"}, so the API treats it as a text
     * message without {@code text}: a defect of the example, which the sandbox rightly rejects (131008).
     */
    public static final Set<String> NOT_SENDS =
            Set.of("Send typing indicator and read receipt", "Send Reply to List Message");

    private static List<Example> examples;

    /** One example, as the spec has it (placeholders and all); do not modify {@code body}, {@link #fill} a copy. */
    public record Example(String name, JsonNode body) {

        /** The message type, {@code text} when the body declares none (as the API reads it). */
        public String type() {
            return body.path("type").asText("text");
        }

        public boolean mediaOrTemplate() {
            return MEDIA.contains(type()) || type().equals("template");
        }

        public boolean send() {
            return !NOT_SENDS.contains(name);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private SpecExamples() {
    }

    /** Every example of {@link #PATHS}, in spec order; the spec is read once. */
    public static synchronized List<Example> all() {
        if (examples == null) {
            examples = List.copyOf(read());
        }
        return examples;
    }

    /** Every example but the {@link #NOT_SENDS}. */
    public static Stream<Example> sends() {
        return all().stream().filter(Example::send);
    }

    /** The example called {@code name}. */
    public static Example named(String name) {
        return all().stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no example '" + name + "' in " + SPEC));
    }

    /**
     * A copy of {@code body} with its placeholders filled (see the class comment).
     *
     * @param mediaId the media ID for a media kind ({@code image}, ...), put in every media object that has an id
     * @param link    the link for a media kind, put in every media object whose link is a placeholder
     */
    public static JsonNode fill(JsonNode body, Function<String, String> mediaId, Function<String, String> link) {
        return new Filler(mediaId, link).fill(body.deepCopy(), "");
    }

    private record Filler(Function<String, String> mediaId, Function<String, String> link) {

        /** Replaces placeholders in place; {@code key} is the field name {@code node} sits under. */
        JsonNode fill(JsonNode node, String key) {
            if (node.isObject()) {
                ObjectNode object = (ObjectNode) node;
                if (MEDIA.contains(key) && (object.has("id") || object.has("link"))) {
                    media(object, key);
                }
                if (key.equals("header") && placeholder(object.path("type").asText())) {
                    headerType(object);
                }
                List<String> names = new ArrayList<>();
                object.fieldNames().forEachRemaining(names::add);
                for (String name : names) {
                    JsonNode child = object.get(name);
                    object.set(name, child.isTextual() ? text(name, child.asText()) : fill(child, name));
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    fill(node.get(i), key);
                }
            }
            return node;
        }

        private void media(ObjectNode media, String kind) {
            if (media.has("id")) {
                media.put("id", mediaId.apply(kind));
            }
            if (media.has("link") && !media.get("link").asText().matches("https?://[^<>(){}]+")) {
                media.put("link", link.apply(kind));
            }
            if (media.has("filename") && placeholder(media.get("filename").asText())) {
                media.put("filename", SAMPLE_FOR.get(kind));
            }
        }
    }

    /** A header's placeholder {@code type} becomes the field the header holds: text, image, video or document. */
    private static void headerType(ObjectNode header) {
        Stream.of("text", "image", "video", "document").filter(header::has).findFirst()
                .ifPresent(type -> header.put("type", type));
    }

    private static JsonNode text(String name, String value) {
        if (name.equals("to") && placeholder(value)) {
            return JsonNodeFactory.instance.textNode(PHONE);
        }
        return JsonNodeFactory.instance.textNode(placeholder(value) ? "sample-" + name : value);
    }

    private static boolean placeholder(String value) {
        return value.contains("{{") || value.matches("<[^>]*>");
    }

    private static List<Example> read() {
        JsonNode spec = readSpec();
        List<Example> examples = new ArrayList<>();
        for (String path : PATHS) {
            JsonNode content = spec.path("paths").path(path).path("post").path("requestBody").path("content");
            if (content.isMissingNode()) {
                throw new IllegalStateException(SPEC + " has no POST " + path);
            }
            content.fields().forEachRemaining(media -> {
                JsonNode inline = media.getValue().get("example");
                if (inline != null) {
                    examples.add(new Example(path + " (inline example)", inline));
                }
                media.getValue().path("examples").fields().forEachRemaining(named -> examples.add(
                        new Example(named.getKey(), resolve(spec, named.getValue()).path("value"))));
            });
        }
        return examples;
    }

    /** Follows a {@code $ref} to {@code #/components/examples/...}, if the example is one. */
    private static JsonNode resolve(JsonNode spec, JsonNode example) {
        JsonNode ref = example.get("$ref");
        return ref == null ? example : spec.at(ref.asText().substring(1));
    }

    private static JsonNode readSpec() {
        try (InputStream in = SpecExamples.class.getClassLoader().getResourceAsStream(SPEC)) {
            if (in == null) {
                throw new IllegalStateException(SPEC + " is not on the test classpath");
            }
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
