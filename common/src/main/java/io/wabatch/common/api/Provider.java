package io.wabatch.common.api;

import io.wabatch.common.secret.Secret;
import java.net.URI;
import java.util.Locale;

/**
 * Who hosts the WhatsApp Business API a channel talks to (facts §0). Both accept the same JSON
 * bodies and answer with the same error envelopes; they differ in base URL, path prefix and the
 * header that carries the credential.
 */
public enum Provider {

    /** 360dialog: {@code D360-API-KEY: <key>}, paths {@code /messages}, {@code /media}, {@code /{media-id}}. */
    D360("360dialog", "D360-API-KEY", URI.create("https://waba-v2.360dialog.io")),

    /**
     * Meta's Cloud API: {@code Authorization: Bearer <token>}, paths
     * {@code /{version}/{phone-number-id}/messages}, {@code .../media}, {@code /{version}/{media-id}}.
     */
    META("meta", "Authorization", URI.create("https://graph.facebook.com"));

    private final String configName;
    private final String authHeaderName;
    private final URI defaultBaseUrl;

    Provider(String configName, String authHeaderName, URI defaultBaseUrl) {
        this.configName = configName;
        this.authHeaderName = authHeaderName;
        this.defaultBaseUrl = defaultBaseUrl;
    }

    /**
     * Parses a configuration value: {@code 360dialog} or {@code d360} for {@link #D360},
     * {@code meta} or {@code cloud} for {@link #META}; case and surrounding blanks are ignored.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static Provider parse(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "360dialog", "d360" -> D360;
            case "meta", "cloud" -> META;
            default -> throw new IllegalArgumentException("unknown provider '" + value
                    + "': use one of 360dialog, d360, meta, cloud");
        };
    }

    /** The canonical configuration name ({@code 360dialog} or {@code meta}). */
    public String configName() {
        return configName;
    }

    /** The production base URL, without a version. */
    public URI defaultBaseUrl() {
        return defaultBaseUrl;
    }

    /** The name of the header that carries the credential. */
    public String authHeaderName() {
        return authHeaderName;
    }

    /** The header value; reveals the secret, so only the HTTP layer calls it. */
    String authHeaderValue(Secret credential) {
        return this == META ? "Bearer " + credential.reveal() : credential.reveal();
    }

    @Override
    public String toString() {
        return configName;
    }
}
