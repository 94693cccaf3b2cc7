package io.wabatch.sandbox;

import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits on a Vert.x future from a thread that is not Vert.x's (a test, a command's main thread).
 *
 * <p>Not {@code Future.await(timeout)}: in the sandbox's PlatformEventsIT, posts awaited so waited their whole
 * 30 s in 4 runs of 5 (a thread dump at the timeout: every event loop idle, the receiver's threads waiting for
 * work); with a {@code CompletableFuture} instead, 1 run of 3; with the platform events also sent from an event
 * loop ({@code StatusWebhooks.postEvent}), 8 of 8 passed. The cause inside Vert.x 5.0.7 was not found.
 */
public final class Blocking {

    private Blocking() {
    }

    /**
     * The future's result.
     *
     * @param what names what did not answer in the exception
     * @throws IllegalStateException when it did not complete within {@code seconds}, or was interrupted
     * @throws RuntimeException      the future's failure (checked ones wrapped)
     */
    public static <T> T await(Future<T> future, long seconds, String what) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + " did not answer within " + seconds + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
        }
    }
}
