package io.wabatch.common.api;

import io.wabatch.common.secret.Secret;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where and as whom one channel (one WhatsApp number) calls the API. Immutable and validated on
 * construction; {@link #toString()} prints the credential as {@code [secret]}.
 *
 * @param provider      who hosts the API
 * @param baseUrl       scheme, host, port and an optional path prefix, e.g.
 *                      {@code https://waba-v2.360dialog.io} or {@code https://graph.facebook.com}; a
 *                      trailing slash is removed. For {@link Provider#META} a trailing version segment
 *                      ({@code https://graph.facebook.com/v23.0}, as facts §0 writes it) moves to
 *                      {@code apiVersion}, so the stored URL never carries the version
 * @param apiVersion    the Graph API version, e.g. {@code v23.0}; for {@link Provider#META} required
 *                      here or as the base URL's last segment (both must agree); ignored for
 *                      {@link Provider#D360} (may be null there)
 * @param phoneNumberId the number's Graph id; required for {@link Provider#META}, informative only
 *                      for {@link Provider#D360} (the key selects the number there; may be null)
 * @param credential    the 360dialog API key or the Meta access token
 */
public record ApiEndpoint(Provider provider, URI baseUrl, String apiVersion, String phoneNumberId,
                          Secret credential) {

    /** The Graph API version this build was written against. */
    public static final String DEFAULT_META_API_VERSION = "v23.0";

    private static final Pattern VERSION = Pattern.compile("v\\d+(\\.\\d+)?");
    private static final Pattern PATH_SEGMENT = Pattern.compile("[A-Za-z0-9._~-]+");

    public ApiEndpoint {
        Objects.requireNonNull(provider, "provider is required");
        Objects.requireNonNull(credential, "credential is required (API key or access token)");
        baseUrl = normalise(baseUrl);
        if (provider == Provider.META) {
            String last = lastSegment(baseUrl);
            if (VERSION.matcher(last).matches()) {
                if (apiVersion != null && !apiVersion.equals(last)) {
                    throw new IllegalArgumentException("baseUrl " + baseUrl + " names version " + last
                            + " but apiVersion is " + apiVersion);
                }
                apiVersion = last;
                baseUrl = URI.create(baseUrl.toString().substring(0, baseUrl.toString().length() - last.length() - 1));
            }
            requireMatch("apiVersion", apiVersion, VERSION, "a Graph version such as v23.0");
            requireMatch("phoneNumberId", phoneNumberId, PATH_SEGMENT, "the number's Graph id");
        }
    }

    /** A 360dialog endpoint: the key selects the number. */
    public static ApiEndpoint d360(URI baseUrl, Secret apiKey) {
        return new ApiEndpoint(Provider.D360, baseUrl, null, null, apiKey);
    }

    /** A Meta Cloud API endpoint for one phone number id; {@code apiVersion} may be null when the URL ends with it. */
    public static ApiEndpoint meta(URI baseUrl, String apiVersion, String phoneNumberId, Secret token) {
        return new ApiEndpoint(Provider.META, baseUrl, apiVersion, phoneNumberId, token);
    }

    /** The request path of {@code POST messages}, including any base path prefix. */
    public String messagesPath() {
        return numberPrefix() + "/messages";
    }

    /**
     * The request path of {@code POST marketing_messages}, the Marketing Messages API for WhatsApp
     * (Meta: {@code /{phone-number-id}/marketing_messages}; 360dialog: {@code /marketing_messages}
     * on the same base URL).
     */
    public String marketingMessagesPath() {
        return numberPrefix() + "/marketing_messages";
    }

    /** The request path of {@code POST media} (upload). */
    public String mediaPath() {
        return numberPrefix() + "/media";
    }

    /**
     * The request path of {@code GET} / {@code DELETE} on one media object.
     *
     * @throws IllegalArgumentException when the id is blank or not a plain path segment
     */
    public String mediaItemPath(String mediaId) {
        if (mediaId == null || !PATH_SEGMENT.matcher(mediaId).matches()) {
            throw new IllegalArgumentException("media id must be a non-blank path segment of [A-Za-z0-9._~-], got '"
                    + mediaId + "'");
        }
        return versionPrefix() + "/" + mediaId;
    }

    /**
     * The request path listing an account's message templates: Meta
     * {@code /{version}/{waba-id}/message_templates}; 360dialog {@code /v1/configs/templates}, where the key
     * selects the number and so its account, and {@code wabaId} is not sent.
     *
     * @throws IllegalArgumentException when the id is blank or not a plain path segment (Meta)
     */
    public String templatesPath(String wabaId) {
        if (provider == Provider.D360) {
            return baseUrl.getRawPath() + "/v1/configs/templates";
        }
        if (wabaId == null || !PATH_SEGMENT.matcher(wabaId).matches()) {
            throw new IllegalArgumentException("WhatsApp Business Account id must be a non-blank path segment of "
                    + "[A-Za-z0-9._~-], got '" + wabaId + "'");
        }
        return versionPrefix() + "/" + wabaId + "/message_templates";
    }

    /** True when requests use TLS. */
    public boolean ssl() {
        return "https".equals(baseUrl.getScheme());
    }

    /** The port requests go to, defaulted from the scheme. */
    public int port() {
        return baseUrl.getPort() > 0 ? baseUrl.getPort() : ssl() ? 443 : 80;
    }

    /** The header value carrying the credential; reveals the secret. */
    String authHeaderValue() {
        return provider.authHeaderValue(credential);
    }

    private String versionPrefix() {
        String base = baseUrl.getRawPath();
        return provider == Provider.META ? base + "/" + apiVersion : base;
    }

    private String numberPrefix() {
        return provider == Provider.META ? versionPrefix() + "/" + phoneNumberId : versionPrefix();
    }

    private static URI normalise(URI url) {
        Objects.requireNonNull(url, "baseUrl is required");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException("baseUrl " + url + " must be an absolute http(s) URL with a host");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null || url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("baseUrl " + url + " must not carry user info, a query or a fragment");
        }
        String path = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
        return URI.create(scheme + "://" + url.getRawAuthority() + path);
    }

    private static String lastSegment(URI url) {
        String path = url.getRawPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static void requireMatch(String name, String value, Pattern pattern, String what) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " '" + value + "' is invalid for provider meta: expected "
                    + what);
        }
    }
}
