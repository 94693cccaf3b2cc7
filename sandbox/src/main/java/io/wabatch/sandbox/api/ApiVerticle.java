package io.wabatch.sandbox.api;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One event loop's HTTP server. Several instances share one port (Vert.x balances connections
 * across them) and one {@link SandboxState}.
 */
final class ApiVerticle extends VerticleBase {

    private final SandboxState state;
    private final Path uploadDir;
    private final AtomicInteger boundPort;

    ApiVerticle(SandboxState state, Path uploadDir, AtomicInteger boundPort) {
        this.state = state;
        this.uploadDir = uploadDir;
        this.boundPort = boundPort;
    }

    @Override
    public Future<?> start() {
        SandboxConfig config = state.config();
        // A negative port asks Vert.x for one random port shared by all instances; 0 would give each its own.
        int port = config.port() == 0 ? -1 : config.port();
        return vertx.createHttpServer(new HttpServerOptions().setHost(config.host()))
                .requestHandler(ApiRouter.create(vertx, state, uploadDir))
                .listen(port)
                .onSuccess(server -> boundPort.set(server.actualPort()))
                .map(HttpServer::actualPort);
    }
}
