package io.wabatch.common.secret;

import java.util.Objects;

/**
 * A credential (API key, access token, app secret). Its {@link #toString()} never reveals the
 * value, so a secret that ends up in a log line, an exception message or a record's string form
 * prints as {@code [secret]}. Only the HTTP layer calls {@link #reveal()}.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** Wraps a raw credential value; blank values are rejected. */
    public static Secret of(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a secret must not be blank");
        }
        return new Secret(value.strip());
    }

    /** The raw value, for the one place that must put it on the wire. */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && java.security.MessageDigest.isEqual(
                value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                other.value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "[secret]";
    }
}
