package io.wabatch.upload.media;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClientResponse;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Streams one response body into its spool file with back-pressure, hashing, counting and keeping
 * the head for MIME sniffing. Aborts past the type's size limit and when the origin is slower than
 * the minimum throughput (a slowloris origin cannot pin a slot). On any failure the file is
 * deleted and its spool space released.
 */
final class SpoolWriter {

    private final Vertx vertx;
    private final LinkMedia media;
    private final HttpClientResponse response;
    private final Path file;
    private final SpoolBudget.Reservation reservation;
    private final FetchOptions options;
    private final MessageDigest sha256 = MediaChecks.sha256();
    private final Buffer head = Buffer.buffer();
    private final Promise<SpooledMedia> result = Promise.promise();
    private AsyncFile out;
    private long size;
    private long sizeAtLastCheck;
    private long throughputTimer = -1;
    private boolean failing;
    private final long spoolCapacity;

    SpoolWriter(Vertx vertx, LinkMedia media, HttpClientResponse response, Path file,
                SpoolBudget.Reservation reservation, FetchOptions options, long spoolCapacity) {
        this.spoolCapacity = spoolCapacity;
        this.vertx = vertx;
        this.media = media;
        this.response = response;
        this.file = file;
        this.reservation = reservation;
        this.options = options;
    }

    /** Streams the body; completes with the spooled, sniffed media, or fails after cleaning up. */
    Future<SpooledMedia> start(String declaredMime, String filename) {
        vertx.fileSystem().open(file.toString(), new OpenOptions().setWrite(true).setTruncateExisting(true))
                .onFailure(this::fail)
                .onSuccess(opened -> {
                    out = opened;
                    stream(declaredMime, filename);
                });
        return result.future();
    }

    private void stream(String declaredMime, String filename) {
        response.exceptionHandler(e -> fail(new MediaException(MediaException.UNAVAILABLE,
                "download of " + Links.redact(media.link()) + " broke off: " + MediaFetcher.describe(e), true)));
        response.handler(this::write);
        response.endHandler(v -> finish(declaredMime, filename));
        throughputTimer = vertx.setPeriodic(options.throughputWindow().toMillis(), t -> checkThroughput());
        response.resume();
    }

    private void write(Buffer chunk) {
        if (failing) {
            // Chunks already received when the download was stopped: the file is closed (or being deleted).
            return;
        }
        size += chunk.length();
        if (size > media.type().maxBytes()) {
            fail(new MediaException(MediaException.REJECTED, MediaChecks.tooLarge(media.type())
                    + " (" + Links.redact(media.link()) + ")"));
            return;
        }
        if (size > spoolCapacity) {
            fail(new MediaException(MediaException.REJECTED, "the file is larger than the whole spool budget "
                    + "(spool.max.bytes = " + spoolCapacity + ") (" + Links.redact(media.link()) + ")"));
            return;
        }
        if (head.length() < MimeSniffer.HEAD_BYTES) {
            head.appendBuffer(chunk, 0, Math.min(chunk.length(), MimeSniffer.HEAD_BYTES - head.length()));
        }
        sha256.update(chunk.getBytes());
        out.write(chunk);
        if (out.writeQueueFull()) {
            response.pause();
            out.drainHandler(v -> response.resume());
        }
    }

    private void checkThroughput() {
        long received = size - sizeAtLastCheck;
        sizeAtLastCheck = size;
        long minimum = options.minBytesPerSecond() * options.throughputWindow().toMillis() / 1000;
        if (received < minimum) {
            fail(new MediaException(MediaException.UNAVAILABLE, "origin too slow: " + received
                    + " bytes in " + options.throughputWindow().toMillis() + " ms, minimum "
                    + options.minBytesPerSecond() + " bytes/s (" + Links.redact(media.link()) + ")"));
        }
    }

    private void finish(String declaredMime, String filename) {
        if (failing) {
            return;
        }
        vertx.cancelTimer(throughputTimer);
        if (size == 0) {
            fail(new MediaException(MediaException.REJECTED, "origin sent an empty body for " + Links.redact(media.link())));
            return;
        }
        String mime;
        try {
            mime = MimeSniffer.resolve(media.type(), declaredMime, head.getBytes());
        } catch (MediaException e) {
            fail(new MediaException(e.code(), e.getMessage() + " (" + Links.redact(media.link()) + ")"));
            return;
        }
        out.close().onComplete(ar -> {
            if (ar.failed()) {
                fail(ar.cause());
            } else {
                result.tryComplete(new SpooledMedia(file, size, MediaChecks.hex(sha256.digest()), mime, filename,
                        reservation));
            }
        });
    }

    /** Stops the download, deletes the file, releases its space, and only then reports {@code error}. */
    void fail(Throwable error) {
        if (failing || result.future().isComplete()) {
            return;
        }
        failing = true;
        vertx.cancelTimer(throughputTimer);
        response.request().reset();
        Future<Void> closed = out == null ? Future.succeededFuture() : out.close().recover(e -> Future.succeededFuture());
        closed.compose(v -> vertx.fileSystem().delete(file.toString()))
                .onComplete(deleted -> {
                    reservation.release();
                    result.tryFail(error);
                });
    }
}
