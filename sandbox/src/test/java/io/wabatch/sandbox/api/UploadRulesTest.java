package io.wabatch.sandbox.api;

import static io.wabatch.sandbox.api.TestSandbox.D360_ID;
import static io.wabatch.sandbox.api.TestSandbox.D360_KEY;
import static io.wabatch.sandbox.api.TestSandbox.META_ID;
import static io.wabatch.sandbox.api.TestSandbox.META_TOKEN;
import static io.wabatch.sandbox.api.TestSandbox.form;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.sandbox.api.RawHttp.Multipart;
import io.wabatch.sandbox.api.RawHttp.Response;
import io.wabatch.sandbox.api.media.StoredMedia;
import io.wabatch.sandbox.origin.MediaOrigin;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code POST /media}, {@code GET} and {@code DELETE /{media-id}} on both providers. */
@Timeout(60)
class UploadRulesTest {

    private static final String SUPPORTED = "audio/aac, audio/amr, audio/mpeg, audio/mp4, audio/ogg, text/plain,"
            + " application/pdf, application/msword,"
            + " application/vnd.openxmlformats-officedocument.wordprocessingml.document, application/vnd.ms-excel,"
            + " application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, application/vnd.ms-powerpoint,"
            + " application/vnd.openxmlformats-officedocument.presentationml.presentation, image/jpeg, image/png,"
            + " image/webp, video/mp4, video/3gpp, video/3gp";

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

    @Test
    void uploadWithTypeFieldAnswersANumericId() {
        Response response = sandbox.uploadMeta(new Multipart().field("messaging_product", "whatsapp")
                .field("type", "image/jpeg").file("file", "sample.jpg", "application/octet-stream",
                        MediaOrigin.sample("sample.jpg")));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("id").asText()).matches("\\d{16}");
        assertThat(sandbox.server.uploads()).singleElement().extracting(StoredMedia::mime).isEqualTo("image/jpeg");
        assertThat(sandbox.server.stats(META_ID).uploads()).isEqualTo(1);
    }

    @Test
    void uploadWithOnlyThePartsContentTypeIsAccepted() {
        Response response = sandbox.upload360(new Multipart().field("messaging_product", "whatsapp")
                .file("file", "voice.ogg", "audio/ogg; codecs=opus", MediaOrigin.sample("voice.ogg")));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(sandbox.server.uploads()).singleElement().satisfies(m -> {
            assertThat(m.mime()).isEqualTo("audio/ogg");
            assertThat(m.number()).isEqualTo(D360_ID);
        });
    }

    @Test
    void unsupportedMimeIsCode100WithMetasExactMessage() {
        Response viaField = sandbox.uploadMeta(form("a.gif", "image/gif", new byte[] {1, 2, 3}));
        Response viaPart = sandbox.upload360(new Multipart().field("messaging_product", "whatsapp")
                .file("file", "a.bin", "application/octet-stream", new byte[] {1}));

        assertThat(viaField.status()).isEqualTo(400);
        assertThat(viaField.code()).isEqualTo(100);
        assertThat(viaField.message()).isEqualTo("(#100) Param file must be a file with one of the following types: "
                + SUPPORTED + ". Received file of type 'image/gif'.");
        assertThat(viaPart.status()).isEqualTo(400);
        assertThat(viaPart.message()).endsWith("Received file of type 'application/octet-stream'.");
        assertThat(sandbox.server.uploads()).isEmpty();
    }

    @Test
    void stickerOverItsLimitIsRejectedNamingTheLimit() {
        Response over = sandbox.uploadMeta(form("big.webp", "image/webp", new byte[500 * 1024 + 1]));
        Response atLimit = sandbox.uploadMeta(form("ok.webp", "image/webp", new byte[500 * 1024]));

        assertThat(over.status()).isEqualTo(400);
        assertThat(over.code()).isEqualTo(100);
        assertThat(over.details()).contains("500 KB").contains("512000 bytes");
        assertThat(atLimit.status()).isEqualTo(200);
        assertThat(sandbox.server.stats(META_ID).rejectedByCode()).containsEntry(100, 1L);
    }

    @Test
    void imageOverFiveMegabytesIsRejected() {
        Response over = sandbox.upload360(form("big.png", "image/png", new byte[(5 << 20) + 1]));

        assertThat(over.status()).isEqualTo(400);
        assertThat(over.details()).contains("5 MB");
    }

    @Test
    void missingFileOrMessagingProductIsCode100() {
        Response noFile = sandbox.uploadMeta(new Multipart().field("messaging_product", "whatsapp")
                .field("type", "image/png"));
        Response noProduct = sandbox.uploadMeta(new Multipart().field("type", "text/plain")
                .file("file", "a.txt", "text/plain", new byte[] {'a'}));
        Response wrongProduct = sandbox.uploadMeta(new Multipart().field("messaging_product", "sms")
                .file("file", "a.txt", "text/plain", new byte[] {'a'}));

        assertThat(noFile.status()).isEqualTo(400);
        assertThat(noFile.message()).isEqualTo("(#100) The parameter file is required.");
        assertThat(noProduct.status()).isEqualTo(400);
        assertThat(noProduct.message()).isEqualTo("(#100) The parameter messaging_product is required.");
        assertThat(wrongProduct.code()).isEqualTo(100);
    }

    @Test
    void uploadsListReportsTheSha256OfEverySample() throws Exception {
        for (String sample : MediaOrigin.SAMPLES.keySet()) {
            sandbox.uploadSampleMeta(sample);
        }

        JsonNode uploads = sandbox.admin("GET", "/_sandbox/uploads", null).json();

        assertThat(uploads).hasSize(MediaOrigin.SAMPLES.size());
        for (JsonNode upload : uploads) {
            byte[] bytes = MediaOrigin.sample(upload.get("filename").asText());
            assertThat(upload.get("sha256").asText()).isEqualTo(sha256(bytes));
            assertThat(upload.get("size").asLong()).isEqualTo(bytes.length);
            assertThat(upload.get("mime").asText()).isEqualTo(MediaOrigin.SAMPLES.get(upload.get("filename").asText()));
            assertThat(upload.get("number").asText()).isEqualTo(META_ID);
        }
    }

    @Test
    void getMediaAnswersMetasInfoShape() throws Exception {
        String id = sandbox.uploadSampleMeta("sample.pdf");

        Response info = sandbox.http.send("GET", sandbox.server.metaBaseUrl() + "/" + id, "Authorization",
                "Bearer " + META_TOKEN, null);

        assertThat(info.status()).isEqualTo(200);
        JsonNode body = info.json();
        assertThat(body.get("messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(body.get("url").asText()).startsWith(sandbox.server.baseUrl());
        assertThat(body.get("mime_type").asText()).isEqualTo("application/pdf");
        assertThat(body.get("sha256").asText()).isEqualTo(sha256(MediaOrigin.sample("sample.pdf")));
        assertThat(body.get("file_size").isTextual()).isTrue();
        assertThat(body.get("file_size").asLong()).isEqualTo(MediaOrigin.sample("sample.pdf").length);
        assertThat(body.get("id").asText()).isEqualTo(id);
    }

    @Test
    void deleteMakesTheIdUnknown() {
        String id = sandbox.uploadSample360("sample.png");
        String url = sandbox.server.baseUrl() + "/" + id;

        Response deleted = sandbox.http.send("DELETE", url, "D360-API-KEY", D360_KEY, null);
        Response after = sandbox.http.send("GET", url, "D360-API-KEY", D360_KEY, null);
        Response again = sandbox.http.send("DELETE", url, "D360-API-KEY", D360_KEY, null);

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().get("success").asBoolean()).isTrue();
        assertThat(after.status()).isEqualTo(400);
        assertThat(after.code()).isEqualTo(100);
        assertThat(again.status()).isEqualTo(400);
        assertThat(sandbox.server.uploads()).singleElement().extracting(StoredMedia::deleted).isEqualTo(true);
    }

    @Test
    void mediaOfAnotherNumberOrUnknownIdIsNotFound() {
        String metaMedia = sandbox.uploadSampleMeta("sample.jpg");

        Response viaOtherNumber = sandbox.http.send("GET", sandbox.server.baseUrl() + "/" + metaMedia,
                "D360-API-KEY", D360_KEY, null);
        Response unknown = sandbox.http.send("GET", sandbox.server.metaBaseUrl() + "/1234", "Authorization",
                "Bearer " + META_TOKEN, null);
        Response badToken = sandbox.http.send("GET", sandbox.server.metaBaseUrl() + "/" + metaMedia,
                "Authorization", "Bearer nope", null);

        assertThat(viaOtherNumber.status()).isEqualTo(400);
        assertThat(viaOtherNumber.code()).isEqualTo(100);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.code()).isEqualTo(100);
        assertThat(badToken.status()).isEqualTo(401);
        assertThat(badToken.code()).isEqualTo(190);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
