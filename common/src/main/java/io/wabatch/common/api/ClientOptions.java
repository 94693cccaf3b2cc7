package io.wabatch.common.api;

import java.time.Duration;
import java.util.Objects;

/**
 * Connection pool and timeouts of the HTTP client. Vert.x defaults to 5 HTTP/1 connections per
 * host with an unbounded wait queue, which caps a sender at 5 / latency (pipeline-measurements,
 * pitfall 1); size {@link #maxConnections()} to the number of requests the caller keeps in flight.
 *
 * @param maxConnections HTTP/1 connections per host (pool size); default 256
 * @param maxWaitQueue   requests that may wait for a pooled connection before new ones fail fast
 *                       with a transport error ({@link TransportFailure#POOL_EXHAUSTED}); default 4096
 * @param connectTimeout longest wait for a connection, pool wait and TCP/TLS connect included; default 5 s
 * @param requestTimeout longest silence before a {@code messages}, media-info or delete call is
 *                       abandoned as a transport error ({@link TransportFailure#RESPONSE_TIMEOUT}); default 30 s
 * @param uploadTimeout  the same for media uploads, which stream whole files; default 10 min
 * @param userAgent      the {@code User-Agent} header; default {@code wabatch/0.1}
 */
public record ClientOptions(int maxConnections, int maxWaitQueue, Duration connectTimeout,
                            Duration requestTimeout, Duration uploadTimeout, String userAgent) {

    /** Largest pool this client accepts; beyond it the sender should shard across numbers. */
    public static final int MAX_CONNECTIONS_LIMIT = 10_000;

    public ClientOptions {
        range("maxConnections", maxConnections, 1, MAX_CONNECTIONS_LIMIT);
        range("maxWaitQueue", maxWaitQueue, 0, 1_000_000);
        positive("connectTimeout", connectTimeout);
        positive("requestTimeout", requestTimeout);
        positive("uploadTimeout", uploadTimeout);
        if (userAgent == null || userAgent.isBlank() || userAgent.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("userAgent '" + userAgent + "' must be non-blank printable text");
        }
    }

    /** The defaults documented on each component. */
    public static ClientOptions defaults() {
        return new ClientOptions(256, 4096, Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofMinutes(10), "wabatch/0.1");
    }

    /** A copy with another pool size. */
    public ClientOptions withMaxConnections(int value) {
        return new ClientOptions(value, maxWaitQueue, connectTimeout, requestTimeout, uploadTimeout, userAgent);
    }

    /** A copy with another wait-queue bound. */
    public ClientOptions withMaxWaitQueue(int value) {
        return new ClientOptions(maxConnections, value, connectTimeout, requestTimeout, uploadTimeout, userAgent);
    }

    /** A copy with another connect timeout. */
    public ClientOptions withConnectTimeout(Duration value) {
        return new ClientOptions(maxConnections, maxWaitQueue, value, requestTimeout, uploadTimeout, userAgent);
    }

    /** A copy with another request timeout. */
    public ClientOptions withRequestTimeout(Duration value) {
        return new ClientOptions(maxConnections, maxWaitQueue, connectTimeout, value, uploadTimeout, userAgent);
    }

    /** A copy with another upload timeout. */
    public ClientOptions withUploadTimeout(Duration value) {
        return new ClientOptions(maxConnections, maxWaitQueue, connectTimeout, requestTimeout, value, userAgent);
    }

    /** A copy with another user agent. */
    public ClientOptions withUserAgent(String value) {
        return new ClientOptions(maxConnections, maxWaitQueue, connectTimeout, requestTimeout, uploadTimeout, value);
    }

    private static void range(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " " + value + " must be between " + min + " and " + max);
        }
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name + " is required");
        if (value.isZero() || value.isNegative() || value.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " " + value + " must be positive and below 24 days");
        }
    }
}
