package io.wabatch.upload.media;

import io.wabatch.upload.cache.CacheDirective;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Downloads a link media to a spool file without holding it in memory: the body is streamed to
 * disk with back-pressure while it is hashed (SHA-256), counted and its head kept for MIME
 * sniffing; the download is aborted as soon as it passes the type's size limit. Every hop
 * (redirects included) goes through the {@link LinkGuard} and connects to the address it checked.
 * Conditional requests ({@code If-None-Match}, {@code If-Modified-Since}) revalidate cached media.
 * Origin 5xx, timeouts and broken connections are retried with backoff; 4xx are final.
 */
public final class MediaFetcher {

    private final Vertx vertx;
    private final HttpClient http;
    private final LinkGuard guard;
    private final Path spoolDir;
    private final SpoolBudget budget;
    private final FetchOptions options;

    public MediaFetcher(Vertx vertx, HttpClient http, LinkGuard guard, Path spoolDir, SpoolBudget budget,
                        FetchOptions options) {
        this.vertx = vertx;
        this.http = http;
        this.guard = guard;
        this.spoolDir = spoolDir;
        this.budget = budget;
        this.options = options;
    }

    /** Downloads {@code media} unconditionally. */
    public Future<SpooledMedia> fetch(LinkMedia media) {
        return fetch(media, null).map(result -> ((FetchResult.Downloaded) result).media());
    }

    /**
     * Downloads {@code media}, or learns that {@code cached} is still current (304) when it carries
     * validators. Fails with {@link MediaException} for every expected problem.
     */
    public Future<FetchResult> fetch(LinkMedia media, CacheDirective cached) {
        URI link;
        try {
            link = URI.create(media.link());
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(new MediaException(MediaException.REJECTED, "invalid link " + Links.redact(media.link())));
        }
        return attempt(media, link, cached, 1);
    }

    private Future<FetchResult> attempt(LinkMedia media, URI link, CacheDirective cached, int attempt) {
        Promise<FetchResult> result = Promise.promise();
        Download download = new Download(media, cached, result);
        long timer = vertx.setTimer(options.deadline().toMillis(), t -> download.abort(new MediaException(
                MediaException.UNAVAILABLE, "download of " + Links.redact(media.link()) + " did not finish within "
                + options.deadline(), true)));
        download.hop(link, 0);
        return result.future().onComplete(ar -> vertx.cancelTimer(timer)).recover(e -> {
            if (e instanceof MediaException failure && failure.retryable() && attempt < options.maxAttempts()) {
                return delay(attempt).compose(v -> attempt(media, link, cached, attempt + 1));
            }
            return Future.failedFuture(e);
        });
    }

    private Future<Void> delay(int attempt) {
        long ceiling = options.retryInitial().toMillis() << Math.min(attempt - 1, 20);
        long millis = Math.max(1, ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
        Promise<Void> promise = Promise.promise();
        vertx.setTimer(millis, t -> promise.complete());
        return promise.future();
    }

    /** One attempt: hops through redirects, then streams the body. */
    private final class Download {
        private final LinkMedia media;
        private final CacheDirective cached;
        private final Promise<FetchResult> result;
        private SpoolWriter writer;

        Download(LinkMedia media, CacheDirective cached, Promise<FetchResult> result) {
            this.media = media;
            this.cached = cached;
            this.result = result;
        }

        /** Ends this attempt: a running spool writer cleans up first. */
        void abort(MediaException error) {
            if (writer != null) {
                writer.fail(error);
            } else {
                result.tryFail(error);
            }
        }

        void hop(URI uri, int redirects) {
            vertx.executeBlocking(() -> guard.check(uri), false)
                    .compose(address -> http.request(conditional(options(uri, address), cached)))
                    .compose(request -> request.send())
                    .onFailure(e -> result.tryFail(e instanceof MediaException ? e : new MediaException(
                            MediaException.UNAVAILABLE, "cannot fetch " + Links.redact(uri) + ": " + describe(e), true)))
                    .onSuccess(response -> answer(uri, redirects, response));
        }

        private void redirect(URI from, String location, int redirects) {
            URI next;
            try {
                next = from.resolve(location.strip());
            } catch (IllegalArgumentException e) {
                result.tryFail(new MediaException(MediaException.UNAVAILABLE, "the origin redirected "
                        + Links.redact(from) + " to an invalid Location"));
                return;
            }
            String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || next.getHost() == null) {
                result.tryFail(new MediaException(MediaException.BLOCKED, "the origin redirected "
                        + Links.redact(from) + " to a non-http(s) location " + Links.redact(next)));
                return;
            }
            hop(next, redirects + 1);
        }

        private void answer(URI uri, int redirects, HttpClientResponse response) {
            response.pause(); // hold the body until the spool file is open
            int status = response.statusCode();
            String location = response.getHeader("Location");
            if (status >= 300 && status < 400 && status != 304 && location != null) {
                response.request().reset();
                if (redirects >= options.maxRedirects()) {
                    result.tryFail(new MediaException(MediaException.UNAVAILABLE, "more than " + options.maxRedirects()
                            + " redirects fetching " + Links.redact(media.link())));
                } else {
                    redirect(uri, location, redirects);
                }
                return;
            }
            CacheDirective directive = CacheDirective.of(response.getHeader("Cache-Control"),
                    response.getHeader("ETag"), response.getHeader("Last-Modified"));
            if (status == 304 && cached != null) {
                response.request().reset();
                result.tryComplete(new FetchResult.NotModified(directive));
            } else if (status != 200) {
                response.request().reset();
                result.tryFail(new MediaException(MediaException.UNAVAILABLE, "origin answered HTTP " + status + " "
                        + response.statusMessage() + " for " + Links.redact(uri), status >= 500 || status == 429 || status == 408));
            } else {
                body(uri, response, directive);
            }
        }

        private void body(URI uri, HttpClientResponse response, CacheDirective directive) {
            long announced = contentLength(response);
            String problem = MediaChecks.problem(media.type(), announced);
            if (problem != null) {
                response.request().reset();
                result.tryFail(new MediaException(MediaException.REJECTED, problem + " (" + Links.redact(uri) + ")"));
                return;
            }
            // Unknown length: hold the type's limit, but no more than the whole budget (the writer stops there).
            budget.reserve(announced > 0 ? announced : Math.min(media.type().maxBytes(), budget.capacity()))
                    .compose(reservation -> stillWanted(reservation))
                    .compose(reservation -> open().onFailure(e -> reservation.release())
                            .map(path -> new SpoolWriter(vertx, media, response, path, reservation, options,
                                    budget.capacity())))
                    .onFailure(e -> {
                        response.request().reset();
                        result.tryFail(e);
                    })
                    .onSuccess(started -> (writer = started).start(response.getHeader("Content-Type"), filename(uri))
                            .onComplete(ar -> {
                                if (ar.succeeded()) {
                                    if (!result.tryComplete(new FetchResult.Downloaded(ar.result(), directive))) {
                                        ar.result().discard(vertx); // the deadline won the race
                                    }
                                } else {
                                    result.tryFail(ar.cause());
                                }
                            }));
        }

        /** A reservation granted after the attempt was already given up is returned at once. */
        private Future<SpoolBudget.Reservation> stillWanted(SpoolBudget.Reservation reservation) {
            if (result.future().isComplete()) {
                reservation.release();
                return Future.failedFuture(result.future().cause());
            }
            return Future.succeededFuture(reservation);
        }
    }

    private Future<Path> open() {
        Path file = spoolDir.resolve(java.util.UUID.randomUUID() + ".part");
        return vertx.fileSystem().createFile(file.toString()).map(v -> file);
    }

    private RequestOptions options(URI uri, InetAddress address) {
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
                .setIdleTimeout(options.readTimeout().toMillis())
                .setFollowRedirects(false);
    }

    private static RequestOptions conditional(RequestOptions request, CacheDirective cached) {
        if (cached != null && cached.etag() != null) {
            request.putHeader("If-None-Match", cached.etag());
        }
        if (cached != null && cached.lastModified() != null) {
            request.putHeader("If-Modified-Since", cached.lastModified());
        }
        return request;
    }

    private static long contentLength(HttpClientResponse response) {
        try {
            String length = response.getHeader("Content-Length");
            return length == null ? -1 : Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The link's last path segment as a safe file name: letters, digits, {@code . _ -}, at most 100 characters. */
    static String filename(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        String last = path.substring(path.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
        last = last.length() > 100 ? last.substring(last.length() - 100) : last;
        return last.isBlank() || last.chars().allMatch(c -> c == '.' || c == '_') ? "file" : last;
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
