package io.wabatch.sandbox.origin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link MediaOrigin} path answers: status, body (bytes in memory or a file streamed from
 * disk), extra headers (e.g. {@code Cache-Control}, {@code ETag}, {@code Last-Modified}), a delay
 * before the answer, and an optional throughput limit. Immutable; the {@code with...} methods copy.
 *
 * @param status         HTTP status (200 unless set)
 * @param contentType    the {@code Content-Type}, or {@code null} for none
 * @param bytes          the body when held in memory, else {@code null}
 * @param file           the body when streamed from a file, else {@code null}
 * @param headers        extra response headers
 * @param delay          wait before answering (zero for none)
 * @param bytesPerSecond body throughput limit; 0 = unlimited
 */
public record Route(int status, String contentType, byte[] bytes, Path file, Map<String, String> headers,
        Duration delay, long bytesPerSecond) {

    /** Validates and copies. */
    public Route {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be 100..599, got " + status);
        }
        if (bytes != null && file != null) {
            throw new IllegalArgumentException("a route has bytes or a file, not both");
        }
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bytesPerSecond must be >= 0, got " + bytesPerSecond);
        }
        bytes = bytes == null ? null : bytes.clone();
        headers = Map.copyOf(headers);
        delay = Objects.requireNonNull(delay, "delay");
    }

    /** 200 with {@code body} as {@code contentType}. */
    public static Route bytes(byte[] body, String contentType) {
        return new Route(200, contentType, body, null, Map.of(), Duration.ZERO, 0);
    }

    /** 200 with {@code file} streamed from disk (never loaded whole) as {@code contentType}. */
    public static Route file(Path file, String contentType) {
        return new Route(200, contentType, null, file, Map.of(), Duration.ZERO, 0);
    }

    /** {@code status} with an empty body. */
    public static Route status(int status) {
        return new Route(status, null, new byte[0], null, Map.of(), Duration.ZERO, 0);
    }

    /** This route answering with {@code newStatus}. */
    public Route withStatus(int newStatus) {
        return new Route(newStatus, contentType, bytes, file, headers, delay, bytesPerSecond);
    }

    /** This route with one more response header. */
    public Route withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Route(status, contentType, bytes, file, more, delay, bytesPerSecond);
    }

    /** This route answering only after {@code newDelay}. */
    public Route withDelay(Duration newDelay) {
        return new Route(status, contentType, bytes, file, headers, newDelay, bytesPerSecond);
    }

    /** This route sending its body at about {@code limit} bytes per second. */
    public Route withThrottle(long limit) {
        return new Route(status, contentType, bytes, file, headers, delay, limit);
    }

    /** The body as a copy, or {@code null} for a file route. */
    @Override
    public byte[] bytes() {
        return bytes == null ? null : bytes.clone();
    }

    /** A header value by case-insensitive name, or {@code null}. */
    String header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }
}
