package io.wabatch.sandbox.origin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Answers one request with a {@link Route}: after its delay, with its headers, honouring
 * {@code If-None-Match} / {@code If-Modified-Since} against the route's {@code ETag} /
 * {@code Last-Modified}, and pacing the body with timers when throttled (never sleeping).
 */
final class RouteResponder {

    private static final long TICK_MS = 100;

    private final Vertx vertx;

    RouteResponder(Vertx vertx) {
        this.vertx = vertx;
    }

    void respond(HttpServerRequest request, Route route) {
        if (route.delay().isZero()) {
            send(request, route);
        } else {
            vertx.setTimer(Math.max(1, route.delay().toMillis()), t -> send(request, route));
        }
    }

    private void send(HttpServerRequest request, Route route) {
        HttpServerResponse response = request.response().setStatusCode(route.status());
        route.headers().forEach(response::putHeader);
        if (route.contentType() != null) {
            response.putHeader("Content-Type", route.contentType());
        }
        if (notModified(request, route)) {
            response.setStatusCode(304).end();
        } else if (route.file() != null && route.bytesPerSecond() == 0 && request.method() != HttpMethod.HEAD) {
            response.sendFile(route.file().toString());
        } else {
            source(route).compose(body -> body.size().compose(size -> {
                response.putHeader("Content-Length", String.valueOf(size));
                if (request.method() == HttpMethod.HEAD || size == 0) {
                    return response.end().andThen(x -> body.close());
                }
                long chunk = route.bytesPerSecond() == 0 ? size : Math.max(1, route.bytesPerSecond() * TICK_MS / 1000);
                return pump(response, body, 0, size, chunk);
            })).onFailure(e -> response.reset());
        }
    }

    private static boolean notModified(HttpServerRequest request, Route route) {
        if (route.status() != 200) {
            return false;
        }
        String etag = route.header("ETag");
        String lastModified = route.header("Last-Modified");
        return etag != null && etag.equals(request.getHeader("If-None-Match"))
                || lastModified != null && lastModified.equals(request.getHeader("If-Modified-Since"));
    }

    private Future<Body> source(Route route) {
        if (route.file() == null) {
            return Future.succeededFuture(new MemoryBody(Buffer.buffer(route.bytes())));
        }
        return vertx.fileSystem().open(route.file().toString(), new OpenOptions().setRead(true)).map(FileBody::new);
    }

    private Future<Void> pump(HttpServerResponse response, Body body, long position, long size, long chunk) {
        int length = (int) Math.min(chunk, size - position);
        return body.read(position, length).compose(response::write).compose(v -> {
            long next = position + length;
            if (next >= size) {
                return response.end().andThen(x -> body.close());
            }
            if (response.closed()) {
                body.close();
                return Future.succeededFuture();
            }
            return vertx.timer(TICK_MS).compose(t -> pump(response, body, next, size, chunk));
        }).onFailure(e -> body.close());
    }

    /** A body read in positioned chunks. */
    private interface Body {
        Future<Long> size();

        Future<Buffer> read(long position, int length);

        void close();
    }

    private record MemoryBody(Buffer buffer) implements Body {
        @Override
        public Future<Long> size() {
            return Future.succeededFuture((long) buffer.length());
        }

        @Override
        public Future<Buffer> read(long position, int length) {
            return Future.succeededFuture(buffer.slice((int) position, (int) position + length));
        }

        @Override
        public void close() {
        }
    }

    /** A file, closed once however many paths of a broken-off transfer ask for it. Event-loop confined. */
    private static final class FileBody implements Body {
        private final AsyncFile file;
        private boolean closed;

        FileBody(AsyncFile file) {
            this.file = file;
        }

        @Override
        public Future<Long> size() {
            return file.size();
        }

        @Override
        public Future<Buffer> read(long position, int length) {
            return file.read(Buffer.buffer(length), 0, position, length);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                file.close();
            }
        }
    }
}
