package io.wabatch.upload.media;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/**
 * A media file downloaded to the spool directory, hashed and checked against its type's limits.
 * Whoever holds it calls {@link #discard} once it is uploaded (or not needed): that deletes the
 * file and gives its space back to the spool budget.
 */
public record SpooledMedia(Path file, long size, String sha256, String mimeType, String filename,
                           SpoolBudget.Reservation reservation) {

    /** Deletes the file and releases its reservation; never fails. */
    public Future<Void> discard(Vertx vertx) {
        return vertx.fileSystem().delete(file.toString())
                .recover(e -> Future.succeededFuture())
                .onComplete(ar -> reservation.release());
    }
}
