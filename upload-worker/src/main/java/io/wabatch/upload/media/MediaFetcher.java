package io.wabatch.upload.media;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/**
 * Downloads a link media to a spool file without holding it in memory: the body is streamed to
 * disk with back-pressure while it is hashed (SHA-256) and counted, and the download is aborted as
 * soon as it passes the type's size limit. Every hop (redirects included) goes through the
 * {@link LinkGuard} and connects to the address it checked.
 */
public final class MediaFetcher {

    private final Vertx vertx;
    private final HttpClient http;
    private final LinkGuard guard;
    private final Path spoolDir;
    private final int maxRedirects;
    private final Duration deadline;

    public MediaFetcher(Vertx vertx, HttpClient http, LinkGuard guard, Path spoolDir, int maxRedirects,
                        Duration deadline) {
        this.vertx = vertx;
        this.http = http;
        this.guard = guard;
        this.spoolDir = spoolDir;
        this.maxRedirects = maxRedirects;
        this.deadline = deadline;
    }

    /** Downloads {@code media}; fails with {@link MediaException} for every expected problem. */
    public Future<SpooledMedia> fetch(LinkMedia media) {
        URI link;
        try {
            link = URI.create(media.link());
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(new MediaException(MediaException.REJECTED, "invalid link " + media.link()));
        }
        Promise<SpooledMedia> result = Promise.promise();
        long timer = vertx.setTimer(deadline.toMillis(), t -> result.tryFail(new MediaException(
                MediaException.UNAVAILABLE, "download of " + media.link() + " did not finish within " + deadline)));
        hop(media, link, 0, result);
        return result.future().onComplete(ar -> vertx.cancelTimer(timer));
    }

    private void hop(LinkMedia media, URI uri, int redirects, Promise<SpooledMedia> result) {
        vertx.executeBlocking(() -> guard.check(uri), false)
                .compose(address -> http.request(options(uri, address)))
                .compose(request -> request.send())
                .onFailure(e -> result.tryFail(e instanceof MediaException ? e : new MediaException(
                        MediaException.UNAVAILABLE, "cannot fetch " + uri + ": " + describe(e))))
                .onSuccess(response -> answer(media, uri, redirects, response, result));
    }

    private void answer(LinkMedia media, URI uri, int redirects, HttpClientResponse response,
                        Promise<SpooledMedia> result) {
        response.pause(); // hold the body until the spool file is open
        int status = response.statusCode();
        String location = response.getHeader("Location");
        if (status >= 300 && status < 400 && location != null) {
            response.request().reset();
            if (redirects >= maxRedirects) {
                result.tryFail(new MediaException(MediaException.UNAVAILABLE, "more than " + maxRedirects
                        + " redirects fetching " + media.link()));
            } else {
                hop(media, uri.resolve(location), redirects + 1, result);
            }
            return;
        }
        if (status != 200) {
            response.request().reset();
            result.tryFail(new MediaException(MediaException.UNAVAILABLE, "origin answered HTTP " + status + " "
                    + response.statusMessage() + " for " + uri));
            return;
        }
        String mime = declaredMime(response);
        String problem = MediaChecks.problem(media.type(), mime, contentLength(response));
        if (problem != null) {
            response.request().reset();
            result.tryFail(new MediaException(MediaException.REJECTED, problem + " (" + uri + ")"));
            return;
        }
        Path file = spoolDir.resolve(UUID.randomUUID() + ".part");
        vertx.fileSystem().open(file.toString(), new OpenOptions().setWrite(true).setCreateNew(true))
                .onFailure(result::tryFail)
                .onSuccess(out -> new SpoolWriter(media, response, out, file, mime, filename(uri), result).start());
    }

    private static RequestOptions options(URI uri, InetAddress address) {
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                .setHost(uri.getHost())
                .setPort(port)
                .setSsl(https)
                .setURI(path)
                .setFollowRedirects(false);
    }

    private static String declaredMime(HttpClientResponse response) {
        String type = response.getHeader("Content-Type");
        return type == null ? null : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    }

    private static long contentLength(HttpClientResponse response) {
        try {
            String length = response.getHeader("Content-Length");
            return length == null ? -1 : Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String filename(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.isBlank() ? "file" : last;
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Streams one response body into the spool file. */
    private final class SpoolWriter {
        private final LinkMedia media;
        private final HttpClientResponse response;
        private final AsyncFile out;
        private final Path file;
        private final String mime;
        private final String filename;
        private final Promise<SpooledMedia> result;
        private final java.security.MessageDigest sha256 = MediaChecks.sha256();
        private long size;

        SpoolWriter(LinkMedia media, HttpClientResponse response, AsyncFile out, Path file, String mime,
                    String filename, Promise<SpooledMedia> result) {
            this.media = media;
            this.response = response;
            this.out = out;
            this.file = file;
            this.mime = mime;
            this.filename = filename;
            this.result = result;
        }

        void start() {
            result.future().onFailure(e -> abort());
            response.exceptionHandler(e -> result.tryFail(new MediaException(MediaException.UNAVAILABLE,
                    "download of " + media.link() + " broke off: " + describe(e))));
            response.handler(chunk -> {
                size += chunk.length();
                if (size > media.type().maxBytes()) {
                    result.tryFail(new MediaException(MediaException.REJECTED, MediaChecks.tooLarge(media.type())
                            + " (" + media.link() + ")"));
                    return;
                }
                sha256.update(chunk.getBytes());
                out.write(chunk);
                if (out.writeQueueFull()) {
                    response.pause();
                    out.drainHandler(v -> response.resume());
                }
            });
            response.endHandler(v -> finish());
            response.resume();
        }

        private void finish() {
            if (size == 0) {
                result.tryFail(new MediaException(MediaException.REJECTED, "origin sent an empty body for " + media.link()));
                return;
            }
            out.close().onComplete(ar -> {
                if (ar.failed()) {
                    result.tryFail(ar.cause());
                } else {
                    result.tryComplete(new SpooledMedia(file, size, MediaChecks.hex(sha256.digest()), mime, filename));
                }
            });
        }

        private void abort() {
            response.request().reset();
            out.close().onComplete(ar -> vertx.fileSystem().delete(file.toString()));
        }
    }
}
