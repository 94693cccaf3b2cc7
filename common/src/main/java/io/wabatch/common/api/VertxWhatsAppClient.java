package io.wabatch.common.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.multipart.MultipartForm;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link WhatsAppClient} over a shared Vert.x {@link WebClient}. */
final class VertxWhatsAppClient implements WhatsAppClient {

    private static final Logger LOG = LoggerFactory.getLogger(VertxWhatsAppClient.class);
    private static final String JSON = "application/json";

    private final WebClient client;
    private final ApiEndpoint endpoint;
    private final ClientOptions options;
    private final String host;

    VertxWhatsAppClient(WebClient client, ApiEndpoint endpoint, ClientOptions options) {
        this.client = Objects.requireNonNull(client, "client");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.options = Objects.requireNonNull(options, "options");
        String h = endpoint.baseUrl().getHost();
        this.host = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    @Override
    public ApiEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public Future<ApiResult<MessageAccepted>> send(ObjectNode body) {
        return post(endpoint.messagesPath(), body);
    }

    @Override
    public Future<ApiResult<MessageAccepted>> sendMarketing(ObjectNode body) {
        return post(endpoint.marketingMessagesPath(), body);
    }

    private Future<ApiResult<MessageAccepted>> post(String path, ObjectNode body) {
        Objects.requireNonNull(body, "body");
        Buffer payload;
        try {
            payload = Buffer.buffer(ApiJson.mapper().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            return Future.failedFuture(e);
        }
        return call(HttpMethod.POST, path, options.requestTimeout(),
                request -> request.putHeader("Content-Type", JSON).sendBuffer(payload),
                ApiAnswers::messageAccepted);
    }

    @Override
    public Future<ApiResult<MediaUploaded>> upload(Path file, String mimeType, String filename) {
        Objects.requireNonNull(file, "file");
        requireHeaderSafe("mimeType", mimeType);
        requireHeaderSafe("filename", filename);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            return Future.failedFuture(new NoSuchFileException(file.toString(), null, "not a readable regular file"));
        }
        // binaryFileUpload by path name: Vert.x 5 hands the File to Netty's HttpPostRequestEncoder
        // (ClientMultipartFormUpload), which reads it in 8 KB chunks as the connection drains.
        MultipartForm form = MultipartForm.create()
                .attribute("messaging_product", "whatsapp")
                .attribute("type", mimeType)
                .binaryFileUpload("file", partFilename(filename), file.toString(), mimeType);
        return call(HttpMethod.POST, endpoint.mediaPath(), options.uploadTimeout(),
                request -> request.sendMultipartForm(form), ApiAnswers::mediaUploaded);
    }

    @Override
    public Future<ApiResult<MediaInfo>> mediaInfo(String mediaId) {
        String path = endpoint.mediaItemPath(mediaId);
        return call(HttpMethod.GET, path, options.requestTimeout(), HttpRequest::send,
                root -> ApiAnswers.mediaInfo(root, mediaId));
    }

    @Override
    public Future<ApiResult<Boolean>> deleteMedia(String mediaId) {
        String path = endpoint.mediaItemPath(mediaId);
        return call(HttpMethod.DELETE, path, options.requestTimeout(), HttpRequest::send, ApiAnswers::deleted);
    }

    @Override
    public Future<ApiResult<TemplatePage>> templates(String wabaId, String cursor) {
        String path = endpoint.templatesPath(wabaId) + templatesQuery(cursor);
        return call(HttpMethod.GET, path, options.requestTimeout(), HttpRequest::send,
                root -> ApiAnswers.templatePage(root, endpoint.provider()));
    }

    /** Meta pages by an opaque {@code after} cursor, 360dialog by offset. */
    private String templatesQuery(String cursor) {
        if (endpoint.provider() == Provider.D360) {
            return "?limit=" + ApiAnswers.D360_TEMPLATE_PAGE + (cursor == null ? "" : "&offset="
                    + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        }
        return "?limit=" + ApiAnswers.META_TEMPLATE_PAGE + (cursor == null ? "" : "&after="
                + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
    }

    private <T> Future<ApiResult<T>> call(HttpMethod method, String path, Duration timeout,
                                          Function<HttpRequest<Buffer>, Future<HttpResponse<Buffer>>> sender,
                                          Function<JsonNode, T> success) {
        long start = System.nanoTime();
        RequestOptions target = new RequestOptions().setHost(host).setPort(endpoint.port())
                .setSsl(endpoint.ssl()).setURI(path);
        HttpRequest<Buffer> request = client.request(method, target)
                .putHeader(endpoint.provider().authHeaderName(), endpoint.authHeaderValue())
                .putHeader("Accept", JSON)
                .connectTimeout(options.connectTimeout().toMillis())
                .idleTimeout(timeout.toMillis());
        return sender.apply(request).transform(ar -> Future.succeededFuture(result(method, path, start, ar, success)));
    }

    private <T> ApiResult<T> result(HttpMethod method, String path, long start,
                                    AsyncResult<HttpResponse<Buffer>> ar, Function<JsonNode, T> success) {
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (ar.failed()) {
            ApiError error = ApiError.transport(TransportFailure.of(ar.cause()), scrub(describe(ar.cause())));
            LOG.debug("{} {} -> no answer ({}) after {} ms", method, path, error.title(), millis);
            return ApiResult.failed(error);
        }
        HttpResponse<Buffer> response = ar.result();
        int status = response.statusCode();
        LOG.debug("{} {} -> {} in {} ms", method, path, status, millis);
        if (status >= 200 && status < 300) {
            byte[] body = response.body() == null ? null : response.body().getBytes();
            T value = success.apply(ApiJson.tree(body));
            return value != null ? ApiResult.ok(value) : ApiResult.failed(malformed(status, body));
        }
        ApiError error = ApiErrorParser.parse(status, response.body());
        return ApiResult.failed(new ApiError(status, error.code(), error.subcode(), scrub(error.title()),
                scrub(error.details()), error.fbtraceId(), false));
    }

    private ApiError malformed(int status, byte[] body) {
        String excerpt = ApiErrorParser.parse(status, body).details();
        return new ApiError(status, null, null, "unexpected success body", scrub(excerpt), null, false);
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while ((root instanceof CompletionException || root instanceof ExecutionException) && root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private String scrub(String text) {
        return text == null ? null : text.replace(endpoint.credential().reveal(), endpoint.credential().toString());
    }

    private static String partFilename(String filename) {
        return filename.replace('"', '_').replace('\\', '_');
    }

    private static void requireHeaderSafe(String name, String value) {
        if (value == null || value.isBlank() || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException(name + " must be non-blank text without control characters");
        }
    }
}
