package io.wabatch.common.api;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Why a call got no HTTP answer. The one question that matters downstream is whether the request
 * may have reached the API ({@link #mayHaveBeenSent()}): the API has no idempotency key, so a
 * request that may have arrived must not be resent blindly (facts §4).
 *
 * <p>An {@link ApiError} carries the failure as its {@code title} ({@link #label()}), so the
 * classification survives serialisation; {@link ApiError#transportFailure()} maps it back.
 */
public enum TransportFailure {

    /** TCP connect refused, or the host or port unreachable: the request never left. */
    CONNECTION_REFUSED("connection refused", false),
    /** No connection within the connect timeout (pool wait or TCP/TLS connect): never left. */
    CONNECT_TIMEOUT("connect timeout", false),
    /** The host name did not resolve: never left. */
    UNKNOWN_HOST("unknown host", false),
    /** The TLS handshake failed: no request byte was written. */
    TLS_HANDSHAKE("tls handshake failed", false),
    /** The client's own connection wait queue was full: the request never left this process. */
    POOL_EXHAUSTED("connection pool exhausted", false),
    /** The request went out but no answer came within the request timeout: in doubt. */
    RESPONSE_TIMEOUT("response timeout", true),
    /** The connection was reset or closed while the request was in flight: in doubt. */
    CONNECTION_LOST("connection lost", true),
    /** Anything else; assumed in doubt. */
    OTHER("transport error", true);

    // Vert.x 5 reports a pool/connect timeout and an idle (response) timeout with the same
    // exception type; only the wording tells them apart. Unknown wording falls to the safe side.
    private static final String CONNECTION_WAIT_WORDING = "getting a connection";
    private static final int MAX_CAUSE_DEPTH = 16;

    private final String label;
    private final boolean mayHaveBeenSent;

    TransportFailure(String label, boolean mayHaveBeenSent) {
        this.label = label;
        this.mayHaveBeenSent = mayHaveBeenSent;
    }

    /** The stable, human-readable name used as {@link ApiError#title()}. */
    public String label() {
        return label;
    }

    /** False only when the request certainly did not reach the API. */
    public boolean mayHaveBeenSent() {
        return mayHaveBeenSent;
    }

    /** The failure whose {@link #label()} this is, or {@link #OTHER}. */
    public static TransportFailure fromLabel(String label) {
        return Arrays.stream(values()).filter(f -> f.label.equals(label)).findFirst().orElse(OTHER);
    }

    /**
     * Classifies the exception a failed HTTP call ended with. Pure; unwraps
     * {@link CompletionException} and {@link ExecutionException} and walks the cause chain.
     */
    public static TransportFailure of(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++, t = t.getCause()) {
            TransportFailure match = match(t);
            if (match != null) {
                return match;
            }
        }
        return OTHER;
    }

    private static TransportFailure match(Throwable t) {
        if (t instanceof CompletionException || t instanceof ExecutionException) {
            return null;
        }
        if (t instanceof ConnectionPoolTooBusyException) {
            return POOL_EXHAUSTED;
        }
        if (t instanceof ConnectTimeoutException) {
            return CONNECT_TIMEOUT;
        }
        if (t instanceof TimeoutException) {
            String message = t.getMessage();
            return message != null && message.contains(CONNECTION_WAIT_WORDING) ? CONNECT_TIMEOUT : RESPONSE_TIMEOUT;
        }
        if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
            return CONNECTION_REFUSED;
        }
        if (t instanceof UnknownHostException) {
            return UNKNOWN_HOST;
        }
        if (t instanceof SSLHandshakeException) {
            return TLS_HANDSHAKE;
        }
        if (t instanceof HttpClosedException || t instanceof StreamResetException || t instanceof IOException) {
            return CONNECTION_LOST;
        }
        return null;
    }
}
