package io.wabatch.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.sandbox.api.RawHttp.Response;
import io.wabatch.sandbox.api.SpecExamples.Example;
import io.wabatch.sandbox.origin.MediaOrigin;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every request-body example of Meta's OpenAPI spec for sending messages ({@link SpecExamples})
 * against the sandbox, its placeholders filled with media IDs uploaded first with a fitting MIME and
 * links to the local media origin.
 */
@Timeout(120)
class SpecExampleReplayTest {

    /** Media and template examples counted in the v23.0 spec: 20 media + 9 template (messages) + 3 marketing. */
    private static final int MEDIA_AND_TEMPLATE_EXAMPLES = 32;

    private static TestSandbox sandbox;
    private static MediaOrigin origin;
    private static final Map<String, String> MEDIA_IDS = new HashMap<>();

    @BeforeAll
    static void start() {
        sandbox = TestSandbox.start();
        origin = MediaOrigin.start();
        SpecExamples.SAMPLE_FOR.forEach((kind, sample) -> MEDIA_IDS.put(kind, sandbox.uploadSampleMeta(sample)));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
        origin.close();
    }

    static Stream<Example> mediaAndTemplateExamples() {
        return SpecExamples.all().stream().filter(Example::mediaOrTemplate);
    }

    static Stream<Example> otherExamples() {
        return SpecExamples.sends().filter(e -> !e.mediaOrTemplate());
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
        Example listReply = SpecExamples.named("Send Reply to List Message");

        Response response = sandbox.sendMeta(realValues(listReply).toString());

        assertThat(response.code()).isEqualTo(131008);
    }

    @Test
    void theMultiProductExampleIsRejectedWhenItsHeaderTypeStaysAPlaceholder() {
        Example multiProduct = SpecExamples.named("Send Multi-Product Message");
        ObjectNode body = (ObjectNode) realValues(multiProduct);
        ((ObjectNode) body.at("/interactive/header")).put("type", "sample-type");

        Response response = sandbox.sendMeta(body.toString());

        assertThat(multiProduct.body().at("/interactive/header/type").asText()).isEqualTo("<HEADER_TYPE>");
        assertThat(response.code()).isEqualTo(131009);
        assertThat(response.details()).contains("interactive.header.type");
    }

    private static void assertAccepted(Example example) {
        JsonNode body = realValues(example);

        Response response = sandbox.sendMeta(body.toString());

        assertThat(response.status()).as("%s: %s -> %s", example.name(), body, response.body()).isEqualTo(200);
    }

    /** The example with the sandbox's uploaded media IDs and the origin's links. */
    private static JsonNode realValues(Example example) {
        return SpecExamples.fill(example.body(), MEDIA_IDS::get,
                kind -> origin.url("/media/" + SpecExamples.SAMPLE_FOR.get(kind)));
    }
}
