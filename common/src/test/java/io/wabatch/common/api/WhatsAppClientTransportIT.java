package io.wabatch.common.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.client.WebClient;
import io.wabatch.common.secret.Secret;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's wire format and its transport failures, against a scripted loopback server (the
 * sandbox cannot stall, hang up or hold connections on demand).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WhatsAppClientTransportIT {

    private static final String KEY = "key-that-must-never-leak";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static Vertx vertx;
    private static HttpServer server;
    private static final AtomicReference<Handler<HttpServerRequest>> HANDLER = new AtomicReference<>();
    private static final List<HttpServerRequest> SEEN = new CopyOnWriteArrayList<>();

    private final List<WebClient> clients = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(req -> {
            SEEN.add(req);
            HANDLER.get().handle(req);
        }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopServer() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void closeClients() {
        clients.forEach(WebClient::close);
        SEEN.clear();
    }

    @Test
    void sendPostsTheBodyOnceSerialisedWithTheDialogKeyHeader() throws Exception {
        Map<String, String> seen = new ConcurrentHashMap<>();
        HANDLER.set(req -> req.body().onSuccess(body -> {
            seen.put("path", req.path());
            seen.put("key", String.valueOf(req.getHeader("D360-API-KEY")));
            seen.put("type", String.valueOf(req.getHeader("Content-Type")));
            seen.put("body", body.toString());
            req.response().putHeader("Content-Type", "application/json").end("{\"messaging_product\":\"whatsapp\","
                    + "\"contacts\":[{\"input\":\"+4915\",\"wa_id\":\"4915\"}],\"messages\":[{\"id\":\"wamid.A\"}]}");
        }));
        ObjectNode body = MAPPER.createObjectNode().put("messaging_product", "whatsapp").put("to", "+4915")
                .put("type", "text");
        body.putObject("text").put("body", "hi");

        ApiResult<MessageAccepted> result = complete(client(ClientOptions.defaults(), Provider.D360).send(body));

        assertThat(result.value()).isEqualTo(new MessageAccepted("wamid.A", "4915", null));
        assertThat(seen).containsEntry("path", "/messages").containsEntry("key", KEY)
                .containsEntry("type", "application/json").containsEntry("body", MAPPER.writeValueAsString(body));
    }

    @Test
    void uploadSendsBothFieldsAndAFilePartWithItsOwnTypeOnMetaPaths(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("a.jpg"), "not really a jpeg".getBytes(StandardCharsets.UTF_8));
        Map<String, String> seen = new ConcurrentHashMap<>();
        HANDLER.set(req -> {
            req.setExpectMultipart(true);
            seen.put("auth", String.valueOf(req.getHeader("Authorization")));
            seen.put("path", req.path());
            req.uploadHandler(upload -> {
                Buffer bytes = Buffer.buffer();
                upload.handler(bytes::appendBuffer);
                upload.endHandler(v -> {
                    seen.put("part", upload.name() + ";" + upload.filename() + ";" + upload.contentType());
                    seen.put("bytes", bytes.toString());
                });
            });
            req.endHandler(v -> {
                MultiMap form = req.formAttributes();
                seen.put("form", form.get("messaging_product") + ";" + form.get("type"));
                req.response().end("{\"id\":\"4490709327384033\"}");
            });
        });

        ApiResult<MediaUploaded> result = complete(client(ClientOptions.defaults(), Provider.META)
                .upload(file, "image/jpeg", "photo \"1\".jpg"));

        assertThat(result.value()).isEqualTo(new MediaUploaded("4490709327384033"));
        assertThat(seen).containsEntry("auth", "Bearer " + KEY).containsEntry("path", "/v23.0/123/media")
                .containsEntry("form", "whatsapp;image/jpeg").containsEntry("part", "file;photo _1_.jpg;image/jpeg")
                .containsEntry("bytes", "not really a jpeg");
    }

    @Test
    void uploadOfAMissingFileFailsTheFutureWithoutCallingTheApi(@TempDir Path dir) {
        Future<ApiResult<MediaUploaded>> result = client(ClientOptions.defaults(), Provider.META)
                .upload(dir.resolve("gone.jpg"), "image/jpeg", "gone.jpg");

        assertThat(result.failed()).isTrue();
        assertThat(SEEN).isEmpty();
    }

    @Test
    void errorAnswerIsAFailedResultWithTheCredentialScrubbed() throws Exception {
        HANDLER.set(req -> req.response().setStatusCode(400).end("{\"error\":{\"message\":\"(#100) Invalid parameter\","
                + "\"code\":100,\"error_data\":{\"details\":\"bad key " + KEY + "\"},\"fbtrace_id\":\"T\"}}"));

        ApiResult<MediaInfo> result = complete(client(ClientOptions.defaults(), Provider.D360).mediaInfo("42"));

        assertThat(result.error()).isEqualTo(new ApiError(400, 100, null, "Invalid parameter",
                "bad key [secret]", "T", false));
        assertThat(SEEN.get(0).path()).isEqualTo("/42");
    }

    @Test
    void deleteIsConfirmedBySuccessTrue() throws Exception {
        HANDLER.set(req -> req.response().end("{\"success\":true}"));

        assertThat(complete(client(ClientOptions.defaults(), Provider.META).deleteMedia("42")).value()).isTrue();
        assertThat(SEEN.get(0).method().name() + " " + SEEN.get(0).path()).isEqualTo("DELETE /v23.0/42");
    }

    @Test
    void successWithoutAWamidIsAFailedResultInDoubt() throws Exception {
        HANDLER.set(req -> req.response().end("<html>ok</html>"));

        ApiError error = complete(client(ClientOptions.defaults(), Provider.D360).send(MAPPER.createObjectNode())).error();

        assertThat(error.httpStatus()).isEqualTo(200);
        assertThat(error.details()).isEqualTo("ok");
        assertThat(ErrorClassifier.classify(error).mayHaveBeenSent()).isTrue();
    }

    @Test
    void closedPortIsAFailedResultNeverSent() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ApiEndpoint endpoint = ApiEndpoint.d360(URI.create("http://127.0.0.1:" + port), Secret.of(KEY));

        ApiError error = complete(WhatsAppClients.create(webClient(ClientOptions.defaults()), endpoint,
                ClientOptions.defaults()).send(MAPPER.createObjectNode())).error();

        assertThat(error.transportFailure()).contains(TransportFailure.CONNECTION_REFUSED);
        assertThat(error.httpStatus()).isZero();
        assertThat(error.details()).contains("Connection refused").doesNotContain(KEY);
        assertThat(ErrorClassifier.classify(error).mayHaveBeenSent()).isFalse();
    }

    @Test
    void silentServerIsAResponseTimeoutInDoubt() throws Exception {
        HANDLER.set(req -> { });
        ClientOptions options = ClientOptions.defaults().withRequestTimeout(Duration.ofMillis(300));

        ApiError error = complete(client(options, Provider.D360).send(MAPPER.createObjectNode())).error();

        assertThat(error.transportFailure()).contains(TransportFailure.RESPONSE_TIMEOUT);
        assertThat(ErrorClassifier.classify(error).mayHaveBeenSent()).isTrue();
    }

    @Test
    void hangUpMidRequestIsAConnectionLostInDoubt() throws Exception {
        HANDLER.set(req -> req.connection().close());

        ApiError error = complete(client(ClientOptions.defaults(), Provider.D360).send(MAPPER.createObjectNode())).error();

        assertThat(error.transportFailure()).contains(TransportFailure.CONNECTION_LOST);
        assertThat(ErrorClassifier.classify(error).mayHaveBeenSent()).isTrue();
    }

    @Test
    void fullWaitQueueIsPoolExhaustedNeverSent() throws Exception {
        HANDLER.set(req -> { });
        WhatsAppClient client = client(ClientOptions.defaults().withMaxConnections(1).withMaxWaitQueue(0),
                Provider.D360);
        client.send(MAPPER.createObjectNode());
        await("the first request holds the only connection").atMost(Duration.ofSeconds(10))
                .until(() -> SEEN.size() == 1);

        ApiError error = complete(client.send(MAPPER.createObjectNode())).error();

        assertThat(error.transportFailure()).contains(TransportFailure.POOL_EXHAUSTED);
        assertThat(ErrorClassifier.classify(error).mayHaveBeenSent()).isFalse();
    }

    @Test
    void waitingTooLongForAConnectionIsAConnectTimeoutNeverSent() throws Exception {
        HANDLER.set(req -> { });
        WhatsAppClient client = client(ClientOptions.defaults().withMaxConnections(1)
                .withConnectTimeout(Duration.ofMillis(300)), Provider.D360);
        client.send(MAPPER.createObjectNode());
        await("the first request holds the only connection").atMost(Duration.ofSeconds(10))
                .until(() -> SEEN.size() == 1);

        ApiError error = complete(client.send(MAPPER.createObjectNode())).error();

        assertThat(error.transportFailure()).contains(TransportFailure.CONNECT_TIMEOUT);
        assertThat(ErrorClassifier.classify(error).mayHaveBeenSent()).isFalse();
        assertThat(SEEN).hasSize(1);
    }

    @Test
    void poolOpensAsManyConnectionsAsConfiguredNotVertxsFive() {
        int connections = 24;
        Set<HttpConnection> open = ConcurrentHashMap.newKeySet();
        List<HttpServerRequest> parked = new CopyOnWriteArrayList<>();
        HANDLER.set(req -> {
            open.add(req.connection());
            parked.add(req);
        });
        WhatsAppClient client = client(ClientOptions.defaults().withMaxConnections(connections), Provider.D360);
        List<Future<ApiResult<MessageAccepted>>> calls = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            calls.add(client.send(MAPPER.createObjectNode()));
        }

        await("every request in flight at once").atMost(Duration.ofSeconds(20)).until(() -> parked.size() == connections);
        parked.forEach(req -> req.response().end("{\"messages\":[{\"id\":\"wamid.P\"}]}"));

        assertThat(open).hasSize(connections);
        await("all answered").atMost(Duration.ofSeconds(20))
                .until(() -> calls.stream().allMatch(f -> f.succeeded() && f.result().isOk()));
    }

    private WhatsAppClient client(ClientOptions options, Provider provider) {
        URI base = URI.create("http://127.0.0.1:" + server.actualPort());
        ApiEndpoint endpoint = provider == Provider.META ? ApiEndpoint.meta(base, "v23.0", "123", Secret.of(KEY))
                : ApiEndpoint.d360(base, Secret.of(KEY));
        return WhatsAppClients.create(webClient(options), endpoint, options);
    }

    private WebClient webClient(ClientOptions options) {
        WebClient client = WhatsAppClients.webClient(vertx, options);
        clients.add(client);
        return client;
    }

    private static <T> T complete(Future<T> future) throws Exception {
        return future.await(30, TimeUnit.SECONDS);
    }
}
