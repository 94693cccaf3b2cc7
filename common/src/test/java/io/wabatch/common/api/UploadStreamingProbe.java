package io.wabatch.common.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.wabatch.common.secret.Secret;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Child-process half of {@link UploadStreamingIT}: uploads the file named by the first argument to
 * a loopback server that counts and discards the bytes. Exit 0 when the upload succeeded and the
 * server received at least the file's size, 1 otherwise; an OutOfMemoryError also ends it non-zero.
 */
final class UploadStreamingProbe {

    private static final Logger LOG = LoggerFactory.getLogger(UploadStreamingProbe.class);

    private UploadStreamingProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        Vertx vertx = Vertx.vertx();
        AtomicLong received = new AtomicLong();
        HttpServer server = vertx.createHttpServer().requestHandler(req -> {
            req.handler(chunk -> received.addAndGet(chunk.length()));
            req.endHandler(v -> req.response().end("{\"id\":\"1\"}"));
        }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        ClientOptions options = ClientOptions.defaults();
        WhatsAppClient client = WhatsAppClients.create(WhatsAppClients.webClient(vertx, options),
                ApiEndpoint.d360(URI.create("http://127.0.0.1:" + server.actualPort()), Secret.of("probe")), options);

        ApiResult<MediaUploaded> result = client.upload(file, "application/pdf", "big.pdf").await(120, TimeUnit.SECONDS);

        boolean ok = result.isOk() && received.get() >= Files.size(file);
        LOG.info("upload of {} bytes: {}, server received {} bytes, max heap {} MB", Files.size(file), result,
                received.get(), Runtime.getRuntime().maxMemory() >> 20);
        vertx.close().await(10, TimeUnit.SECONDS);
        System.exit(ok ? 0 : 1);
    }
}
