package io.wabatch.sender.pace;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether each channel may send. A channel is paused when the API says it cannot send at all
 * (invalid credential, blocked or locked account, payment or spam problem) or when an operator
 * says so; its messages then wait here, nothing is failed or lost, and its partition stops being
 * fetched once its queue is full. {@link #resume} lets them go again, at the channel's pace.
 * Confined to the sender's event loop.
 */
public final class ChannelGate {

    private final Map<String, State> channels = new HashMap<>();

    /** Completes when {@code channel} may send. */
    public Future<Void> await(String channel) {
        State state = channels.get(channel);
        if (state == null || !state.paused) {
            return Future.succeededFuture();
        }
        Promise<Void> promise = Promise.promise();
        state.waiters.add(promise);
        return promise.future();
    }

    /** Pauses the channel; returns false when it was paused already. */
    public boolean pause(String channel, String reason) {
        State state = channels.computeIfAbsent(channel, c -> new State());
        boolean changed = !state.paused;
        state.paused = true;
        state.reason = reason;
        return changed;
    }

    /** Lets the channel's waiting messages go. */
    public void resume(String channel) {
        State state = channels.get(channel);
        if (state == null || !state.paused) {
            return;
        }
        state.paused = false;
        state.reason = null;
        List<Promise<Void>> waiting = new ArrayList<>(state.waiters);
        state.waiters.clear();
        waiting.forEach(Promise::complete);
    }

    public boolean paused(String channel) {
        State state = channels.get(channel);
        return state != null && state.paused;
    }

    /** Why the channel is paused, or null. */
    public String reason(String channel) {
        State state = channels.get(channel);
        return state == null ? null : state.reason;
    }

    /** Messages waiting for the channel to resume. */
    public int waiting(String channel) {
        State state = channels.get(channel);
        return state == null ? 0 : state.waiters.size();
    }

    private static final class State {
        boolean paused;
        String reason;
        final List<Promise<Void>> waiters = new ArrayList<>();
    }
}
