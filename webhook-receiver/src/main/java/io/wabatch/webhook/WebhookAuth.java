package io.wabatch.webhook;

import io.wabatch.common.secret.Secret;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who may post webhooks: Meta signs the raw body ({@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256>}
 * with the app secret); 360dialog sends a custom header whose value is a shared secret. Both are
 * compared in constant time. Pure, so it is tested without a server.
 */
final class WebhookAuth {

    static final String SIGNATURE_HEADER = "X-Hub-Signature-256";
    private static final String PREFIX = "sha256=";

    /** The verdict on one request: {@code OK}, {@code MISSING} (401) or {@code WRONG} (403). */
    enum Verdict { OK, MISSING, WRONG }

    private final Secret appSecret;
    /** One initialised Mac per thread (the event loop's): looking a provider up per request costs more than the HMAC. */
    private final ThreadLocal<Mac> macs;
    private final String sharedHeader;
    private final Secret sharedSecret;
    private final Secret verifyToken;

    WebhookAuth(Secret appSecret, String sharedHeader, Secret sharedSecret, Secret verifyToken) {
        this.appSecret = appSecret;
        this.macs = appSecret == null ? null : ThreadLocal.withInitial(() -> mac(appSecret));
        this.sharedHeader = sharedHeader;
        this.sharedSecret = sharedSecret;
        this.verifyToken = verifyToken;
    }

    /** The header the shared secret travels in, or null. */
    String sharedHeader() {
        return sharedSecret == null ? null : sharedHeader;
    }

    /**
     * @param signature the {@code X-Hub-Signature-256} header or null
     * @param shared    the shared header's value or null
     */
    Verdict check(byte[] body, String signature, String shared) {
        if (appSecret != null && signature != null) {
            return signatureMatches(body, signature) ? Verdict.OK : Verdict.WRONG;
        }
        if (sharedSecret != null && shared != null) {
            return equal(shared, sharedSecret.reveal()) ? Verdict.OK : Verdict.WRONG;
        }
        return Verdict.MISSING;
    }

    /** Meta's handshake: the challenge to echo, or null when the request must be refused (403). */
    String handshake(String mode, String token, String challenge) {
        if (verifyToken == null || !"subscribe".equals(mode) || token == null || challenge == null
                || !equal(token, verifyToken.reveal())) {
            return null;
        }
        return challenge;
    }

    private boolean signatureMatches(byte[] body, String header) {
        if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header.substring(PREFIX.length()).strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(macs.get().doFinal(body), given);
    }

    /** HMAC-SHA256 of {@code body} with {@code key}. */
    static byte[] hmac(Secret key, byte[] body) {
        return mac(key).doFinal(body);
    }

    private static Mac mac(Secret key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
