package io.wabatch.common.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.wabatch.common.secret.Secret;
import io.wabatch.sandbox.api.SandboxConfig;
import io.wabatch.sandbox.api.SandboxServer;
import io.wabatch.sandbox.api.media.StoredMedia;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The client against the real sandbox over loopback HTTP, for both providers. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WhatsAppClientIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SAMPLE_JPG = "/io/wabatch/sandbox/media/sample.jpg";
    private static final String RECIPIENT = "+16505551234";

    private static SandboxServer sandbox;
    private static Vertx vertx;
    private static WebClient webClient;

    @TempDir
    static Path dir;
    private static Path sampleJpg;

    @BeforeAll
    static void start() throws IOException {
        sandbox = SandboxServer.start(SandboxConfig.defaults());
        vertx = Vertx.vertx();
        webClient = WhatsAppClients.webClient(vertx, ClientOptions.defaults());
        sampleJpg = dir.resolve("sample.jpg");
        try (InputStream in = WhatsAppClientIT.class.getResourceAsStream(SAMPLE_JPG)) {
            assertThat(in).as(SAMPLE_JPG + " from the sandbox jar").isNotNull();
            Files.copy(in, sampleJpg, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        webClient.close();
        vertx.close().await(10, TimeUnit.SECONDS);
        sandbox.close();
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void uploadThenSendAnImageByItsIdIsAccepted(Provider provider) throws Exception {
        WhatsAppClient client = client(provider, credential(provider));

        String mediaId = complete(client.upload(sampleJpg, "image/jpeg", "sample.jpg")).value().mediaId();
        ApiResult<MessageAccepted> sent = complete(client.send(image(mediaId)));

        assertThat(sent.isOk()).as(() -> sent.isOk() ? "" : sent.error().describe()).isTrue();
        assertThat(sent.value().wamid()).startsWith("wamid.");
        assertThat(sent.value().waId()).isEqualTo("16505551234");
        assertThat(sandbox.messages(numberId(provider)))
                .anySatisfy(m -> assertThat(m.wamid()).isEqualTo(sent.value().wamid()));
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void mediaInfoReportsTheSha256TheSandboxRecorded(Provider provider) throws Exception {
        WhatsAppClient client = client(provider, credential(provider));
        String mediaId = complete(client.upload(sampleJpg, "image/jpeg", "sample.jpg")).value().mediaId();

        MediaInfo info = complete(client.mediaInfo(mediaId)).value();

        assertThat(info.id()).isEqualTo(mediaId);
        assertThat(info.sha256()).isEqualTo(sha256(sampleJpg)).isEqualTo(stored(mediaId).sha256());
        assertThat(info.fileSize()).isEqualTo(Files.size(sampleJpg));
        assertThat(info.mimeType()).isEqualTo("image/jpeg");
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void deletedMediaIsGoneForGood(Provider provider) throws Exception {
        WhatsAppClient client = client(provider, credential(provider));
        String mediaId = complete(client.upload(sampleJpg, "image/jpeg", "sample.jpg")).value().mediaId();

        assertThat(complete(client.deleteMedia(mediaId)).value()).isTrue();
        ApiError error = complete(client.mediaInfo(mediaId)).error();

        assertThat(error.code()).isEqualTo(100);
        assertThat(ErrorClassifier.classify(error).kind()).isEqualTo(ErrorAction.Kind.PERMANENT);
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void badCredentialIsA401WithTheParsedErrorThatPausesTheChannel(Provider provider) throws Exception {
        WhatsAppClient client = client(provider, Secret.of("wrong-credential"));

        ApiError error = complete(client.send(image("1"))).error();

        assertThat(error.httpStatus()).isEqualTo(401);
        assertThat(error.transport()).isFalse();
        assertThat(error.title()).isNotBlank();
        if (provider == Provider.META) {
            assertThat(error.code()).isEqualTo(190);
            assertThat(error.fbtraceId()).isNotBlank();
        }
        assertThat(ErrorClassifier.classify(error).kind()).isEqualTo(ErrorAction.Kind.PAUSE_CHANNEL);
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void invalidMessageFailsWithTheSandboxCode(Provider provider) throws Exception {
        WhatsAppClient client = client(provider, credential(provider));
        ObjectNode both = image("1");
        ((ObjectNode) both.get("image")).put("link", "https://example.com/a.jpg");

        ApiError idAndLink = complete(client.send(both)).error();
        ApiError unknownMedia = complete(client.send(image("999"))).error();

        assertThat(idAndLink.httpStatus()).isEqualTo(400);
        assertThat(idAndLink.code()).isEqualTo(131009);
        assertThat(idAndLink.details()).contains("Either id or link");
        assertThat(ErrorClassifier.classify(idAndLink).kind()).isEqualTo(ErrorAction.Kind.PERMANENT);
        assertThat(unknownMedia.code()).isEqualTo(131053);
        assertThat(ErrorClassifier.classify(unknownMedia).kind()).isEqualTo(ErrorAction.Kind.REUPLOAD_MEDIA);
    }

    @Test
    void closedPortIsAFailedTransportResultNotAnException() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ApiEndpoint endpoint = ApiEndpoint.d360(URI.create("http://127.0.0.1:" + port), credential(Provider.D360));

        ApiError error = complete(WhatsAppClients.create(webClient, endpoint, ClientOptions.defaults())
                .upload(sampleJpg, "image/jpeg", "sample.jpg")).error();

        assertThat(error.transport()).isTrue();
        assertThat(error.transportFailure()).contains(TransportFailure.CONNECTION_REFUSED);
        assertThat(ErrorClassifier.classify(error).mayHaveBeenSent()).isFalse();
    }

    /**
     * Streaming itself is a property of the code path, not of an observable here: {@code upload}
     * passes the file's path to Vert.x's {@code MultipartForm.binaryFileUpload}, which Vert.x 5 hands
     * to Netty's {@code HttpPostRequestEncoder} as a disk-backed {@code FileUpload}, read in 8 KB
     * chunks as the connection drains. This test proves a large file arrives intact.
     */
    @Test
    void sixtyMegabyteDocumentArrivesByteForByte() throws Exception {
        Path big = dir.resolve("big.txt");
        String expected = writeText(big, 60L << 20);
        WhatsAppClient client = client(Provider.D360, credential(Provider.D360));

        ApiResult<MediaUploaded> uploaded = complete(client.upload(big, "text/plain", "big.txt"));

        assertThat(uploaded.isOk()).as(() -> uploaded.isOk() ? "" : uploaded.error().describe()).isTrue();
        StoredMedia stored = stored(uploaded.value().mediaId());
        assertThat(stored.size()).isEqualTo(60L << 20);
        assertThat(stored.sha256()).isEqualTo(expected);
    }

    private static WhatsAppClient client(Provider provider, Secret credential) {
        ApiEndpoint endpoint = provider == Provider.META
                ? ApiEndpoint.meta(URI.create(sandbox.metaBaseUrl()), null, SandboxConfig.DEMO_META_NUMBER_ID,
                        credential)
                : ApiEndpoint.d360(URI.create(sandbox.baseUrl()), credential);
        return WhatsAppClients.create(webClient, endpoint, ClientOptions.defaults());
    }

    private static Secret credential(Provider provider) {
        return Secret.of(provider == Provider.META ? SandboxConfig.DEMO_META_ACCESS_TOKEN
                : SandboxConfig.DEMO_D360_API_KEY);
    }

    private static String numberId(Provider provider) {
        return provider == Provider.META ? SandboxConfig.DEMO_META_NUMBER_ID : SandboxConfig.DEMO_D360_NUMBER_ID;
    }

    private static ObjectNode image(String mediaId) {
        ObjectNode body = MAPPER.createObjectNode().put("messaging_product", "whatsapp")
                .put("recipient_type", "individual").put("to", RECIPIENT).put("type", "image");
        body.putObject("image").put("id", mediaId).put("caption", "wabatch IT");
        return body;
    }

    private static StoredMedia stored(String mediaId) {
        return sandbox.uploads().stream().filter(m -> m.id().equals(mediaId)).findFirst().orElseThrow();
    }

    /** Writes {@code size} bytes of printable text and returns their SHA-256. */
    private static String writeText(Path file, long size) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] line = "wabatch streams uploads from disk, one chunk at a time.\n".getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha)) {
            for (long written = 0; written < size; written += line.length) {
                out.write(line, 0, (int) Math.min(line.length, size - written));
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static <T> T complete(Future<T> future) throws Exception {
        return future.await(60, TimeUnit.SECONDS);
    }
}
