package io.wabatch.upload.media;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The spool directory's disk budget. A download reserves its expected size before writing (the
 * announced Content-Length, else the type's limit) and releases it when its file is deleted.
 * When the budget is full new downloads wait in arrival order (back-pressure on the origin);
 * a file larger than the whole budget fails at once. Confined to one event loop.
 */
public final class SpoolBudget {

    private final long capacity;
    private final Deque<Waiter> waiters = new ArrayDeque<>();
    private long used;

    public SpoolBudget(long capacity) {
        this.capacity = capacity;
    }

    /** Completes when {@code bytes} are reserved; fails at once when they can never fit. */
    public Future<Reservation> reserve(long bytes) {
        if (bytes > capacity) {
            return Future.failedFuture(new MediaException(MediaException.REJECTED, "the file needs " + bytes
                    + " bytes of spool space but the whole spool budget (spool.max.bytes) is " + capacity));
        }
        if (waiters.isEmpty() && used + bytes <= capacity) {
            used += bytes;
            return Future.succeededFuture(new Reservation(bytes));
        }
        Promise<Reservation> promise = Promise.promise();
        waiters.add(new Waiter(bytes, promise));
        return promise.future();
    }

    /** The whole budget in bytes. */
    public long capacity() {
        return capacity;
    }

    /** Bytes reserved right now. */
    public long used() {
        return used;
    }

    private void release(long bytes) {
        used -= bytes;
        while (!waiters.isEmpty() && used + waiters.peek().bytes <= capacity) {
            Waiter next = waiters.poll();
            used += next.bytes;
            next.promise.complete(new Reservation(next.bytes));
        }
    }

    private record Waiter(long bytes, Promise<Reservation> promise) {
    }

    /** Space held for one file; release it exactly once, when the file is gone. */
    public final class Reservation {
        private final long bytes;
        private boolean released;

        private Reservation(long bytes) {
            this.bytes = bytes;
        }

        public void release() {
            if (!released) {
                released = true;
                SpoolBudget.this.release(bytes);
            }
        }
    }
}
