package io.wabatch.sandbox.api;

import static io.wabatch.sandbox.api.TestSandbox.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wabatch.sandbox.api.RawHttp.Response;
import io.wabatch.sandbox.origin.MediaOrigin;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Sending by media ID: the ID must be this number's, live, and of a MIME that fits the message type. */
@Timeout(60)
class MediaIdRulesTest {

    private static TestSandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = TestSandbox.start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    static String byId(String type, String id) {
        return json("{'messaging_product':'whatsapp','to':'4915112345678','type':'" + type + "','" + type
                + "':{'id':'" + id + "'}}");
    }

    @ParameterizedTest(name = "{0} as {1}")
    @CsvSource({"sample.jpg, image", "sample.png, image", "sticker.webp, sticker", "sample.mp4, video",
        "voice.ogg, audio", "sample.m4a, audio", "sample.mp3, audio", "sample.pdf, document", "sample.txt, document"})
    void everySampleIsSendableByIdAsItsKind(String sample, String type) {
        String id = sandbox.uploadSampleMeta(sample);

        Response response = sandbox.sendMeta(byId(type, id));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0} as {1}")
    @CsvSource({"sample.jpg, document", "sample.pdf, image", "sticker.webp, image", "sample.mp4, audio",
        "sample.m4a, video", "sample.png, sticker"})
    void mediaIdOfTheWrongKindIs131053NamingTheMime(String sample, String type) {
        String id = sandbox.uploadSampleMeta(sample);

        Response response = sandbox.sendMeta(byId(type, id));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo(131053);
        assertThat(response.message()).isEqualTo("(#131053) Media upload error");
        assertThat(response.details()).contains(id).contains(MediaOrigin.SAMPLES.get(sample));
    }

    @Test
    void unknownMediaIdIs131053() {
        Response response = sandbox.sendMeta(byId("image", "1234567890"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo(131053);
        assertThat(response.details()).isEqualTo("Media ID 1234567890 is unknown or has expired");
    }

    @Test
    void mediaIdOfAnotherNumberIs131053() {
        String id = sandbox.uploadSample360("sample.jpg");

        Response response = sandbox.sendMeta(byId("image", id));

        assertThat(response.code()).isEqualTo(131053);
    }

    @Test
    void deletedMediaIdIs131053() {
        String id = sandbox.uploadSampleMeta("sample.jpg");
        sandbox.http.send("DELETE", sandbox.server.metaBaseUrl() + "/" + id, "Authorization",
                "Bearer " + TestSandbox.META_TOKEN, null);

        assertThat(sandbox.sendMeta(byId("image", id)).code()).isEqualTo(131053);
    }

    @Test
    void templateMediaParametersFollowTheMediaRules() {
        String pdf = sandbox.uploadSampleMeta("sample.pdf");
        String template = "{'messaging_product':'whatsapp','to':'4915112345678','type':'template','template':{"
                + "'name':'t','language':{'code':'en'},'components':[{'type':'header','parameters':[{'type':'%s',"
                + "'%s':{'id':'" + pdf + "'}}]}]}}";

        Response asDocument = sandbox.sendMeta(json(template.formatted("document", "document")));
        Response asImage = sandbox.sendMeta(json(template.formatted("image", "image")));

        assertThat(asDocument.status()).isEqualTo(200);
        assertThat(asImage.code()).isEqualTo(131053);
    }

    @Test
    void mediaIdExpiresAfterTheMediaTtl() {
        try (TestSandbox shortLived = TestSandbox.start(b -> b.mediaTtl(Duration.ofMillis(400)))) {
            String id = shortLived.uploadSampleMeta("sample.jpg");
            assertThat(shortLived.sendMeta(byId("image", id)).status()).isEqualTo(200);

            await("media ID " + id + " expires").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> shortLived.sendMeta(byId("image", id)).code() == 131053);

            Response info = shortLived.http.send("GET", shortLived.server.metaBaseUrl() + "/" + id,
                    "Authorization", "Bearer " + TestSandbox.META_TOKEN, null);
            assertThat(info.status()).isEqualTo(400);
            assertThat(info.code()).isEqualTo(100);
        }
    }
}
