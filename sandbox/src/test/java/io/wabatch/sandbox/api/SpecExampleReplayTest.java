package io.wabatch.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wabatch.sandbox.api.RawHttp.Response;
import io.wabatch.sandbox.origin.MediaOrigin;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every request-body example of Meta's OpenAPI spec for sending messages against the
 * sandbox. The spec is a corpus, not a validator (its schemas reject its own examples). Placeholders
 * become real values: media IDs uploaded first with a fitting MIME, links to the local media origin,
 * a valid phone number, and a header {@code type} placeholder the type of what the header holds
 * ("Send Multi-Product Message" has {@code "header":{"type":"<HEADER_TYPE>","text":...}}; a product
 * list takes only a text header, so the filled value is {@code text}).
 */
@Timeout(120)
class SpecExampleReplayTest {

    private static final String SPEC = "openapi/meta-business-messaging-openapi-v23.0.yaml";
    /** {@code /marketing_messages} examples are template message bodies; they are sent to {@code /messages}. */
    private static final List<String> PATHS =
            List.of("/{Version}/{Phone-Number-ID}/messages", "/{Version}/{Phone-Number-ID}/marketing_messages");
    private static final Set<String> MEDIA = Set.of("audio", "document", "image", "sticker", "video");
    private static final Map<String, String> SAMPLE_FOR = Map.of("audio", "voice.ogg", "document", "sample.pdf",
            "image", "sample.jpg", "sticker", "sticker.webp", "video", "sample.mp4");
    /** Media and template examples counted in the v23.0 spec: 20 media + 9 template (messages) + 3 marketing. */
    private static final int MEDIA_AND_TEMPLATE_EXAMPLES = 32;
    /**
     * Examples that are not valid sends, by name:
     * "Send typing indicator and read receipt" marks a message read; it has no recipient and is no send.
     * "Send Reply to List Message" omits {@code "type":"interactive"}, so the API treats it as a text
     * message without {@code text}: a defect of the example, which the sandbox rightly rejects (131008).
     */
    private static final Set<String> NOT_SENDS =
            Set.of("Send typing indicator and read receipt", "Send Reply to List Message");

    private static List<Example> examples;
    private static TestSandbox sandbox;
    private static MediaOrigin origin;
    private static final Map<String, String> MEDIA_IDS = new HashMap<>();

    record Example(String name, JsonNode body) {
        String type() {
            return body.path("type").asText("text");
        }

        boolean mediaOrTemplate() {
            return MEDIA.contains(type()) || type().equals("template");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void start() {
        sandbox = TestSandbox.start();
        origin = MediaOrigin.start();
        SAMPLE_FOR.forEach((kind, sample) -> MEDIA_IDS.put(kind, sandbox.uploadSampleMeta(sample)));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
        origin.close();
    }

    static Stream<Example> mediaAndTemplateExamples() {
        return examples().stream().filter(Example::mediaOrTemplate);
    }

    static Stream<Example> otherExamples() {
        return examples().stream().filter(e -> !e.mediaOrTemplate() && !NOT_SENDS.contains(e.name()));
    }

    @Test
    void theSpecHoldsTheExpectedNumberOfMediaAndTemplateExamples() {
        List<Example> found = mediaAndTemplateExamples().toList();

        assertThat(found).hasSize(MEDIA_AND_TEMPLATE_EXAMPLES);
        assertThat(found).extracting(Example::type).contains("audio", "document", "image", "sticker", "video",
                "template");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mediaAndTemplateExamples")
    void everyMediaAndTemplateExampleIsAccepted(Example example) {
        assertAccepted(example);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherExamples")
    void everyOtherSendExampleIsAcceptedToo(Example example) {
        assertAccepted(example);
    }

    @Test
    void theListReplyExampleIsRejectedAsTheTextMessageItDeclares() {
        Example listReply = examples().stream().filter(e -> e.name().equals("Send Reply to List Message"))
                .findFirst().orElseThrow();

        Response response = sandbox.sendMeta(realValues(listReply.body().deepCopy(), "").toString());

        assertThat(response.code()).isEqualTo(131008);
    }

    @Test
    void theMultiProductExampleIsRejectedWhenItsHeaderTypeStaysAPlaceholder() {
        Example multiProduct = examples().stream().filter(e -> e.name().equals("Send Multi-Product Message"))
                .findFirst().orElseThrow();
        ObjectNode body = (ObjectNode) realValues(multiProduct.body().deepCopy(), "");
        ((ObjectNode) body.at("/interactive/header")).put("type", "sample-type");

        Response response = sandbox.sendMeta(body.toString());

        assertThat(multiProduct.body().at("/interactive/header/type").asText()).isEqualTo("<HEADER_TYPE>");
        assertThat(response.code()).isEqualTo(131009);
        assertThat(response.details()).contains("interactive.header.type");
    }

    private static void assertAccepted(Example example) {
        JsonNode body = realValues(example.body().deepCopy(), "");

        Response response = sandbox.sendMeta(body.toString());

        assertThat(response.status()).as("%s: %s -> %s", example.name(), body, response.body()).isEqualTo(200);
    }

    /** Replaces placeholders in place; {@code key} is the field name {@code node} sits under. */
    private static JsonNode realValues(JsonNode node, String key) {
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
                object.set(name, child.isTextual() ? text(name, child.asText()) : realValues(child, name));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                realValues(node.get(i), key);
            }
        }
        return node;
    }

    private static void media(ObjectNode media, String kind) {
        if (media.has("id")) {
            media.put("id", MEDIA_IDS.get(kind));
        }
        if (media.has("link") && !media.get("link").asText().matches("https?://[^<>(){}]+")) {
            media.put("link", origin.url("/media/" + SAMPLE_FOR.get(kind)));
        }
        if (media.has("filename") && placeholder(media.get("filename").asText())) {
            media.put("filename", SAMPLE_FOR.get(kind));
        }
    }

    /** A header's placeholder {@code type} becomes the field the header holds: text, image, video or document. */
    private static void headerType(ObjectNode header) {
        Stream.of("text", "image", "video", "document").filter(header::has).findFirst()
                .ifPresent(type -> header.put("type", type));
    }

    private static JsonNode text(String name, String value) {
        if (name.equals("to") && placeholder(value)) {
            return RawHttp.MAPPER.getNodeFactory().textNode("+16505551234");
        }
        return RawHttp.MAPPER.getNodeFactory().textNode(placeholder(value) ? "sample-" + name : value);
    }

    private static boolean placeholder(String value) {
        return value.contains("{{") || value.matches("<[^>]*>");
    }

    private static synchronized List<Example> examples() {
        if (examples == null) {
            examples = List.copyOf(readExamples());
        }
        return examples;
    }

    private static List<Example> readExamples() {
        JsonNode spec = readSpec();
        List<Example> examples = new ArrayList<>();
        for (String path : PATHS) {
            JsonNode content = spec.path("paths").path(path).path("post").path("requestBody").path("content");
            assertThat(content.isMissingNode()).as("spec has POST %s", path).isFalse();
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
        try (InputStream in = SpecExampleReplayTest.class.getClassLoader().getResourceAsStream(SPEC)) {
            assertThat(in).as(SPEC + " on the test classpath").isNotNull();
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
