package io.wabatch.webhook;

import io.wabatch.common.secret.Secret;
import io.wabatch.common.config.ServicePorts;
import io.wabatch.common.config.TopicKey;
import io.wabatch.common.config.WorkerConfig;
import io.wabatch.common.kafka.TopicNames;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The webhook receiver's configuration: where it listens and how it authenticates webhooks. At
 * least one of the Meta app secret and the 360dialog shared header must be set: the receiver never
 * accepts an unauthenticated webhook.
 */
public final class WebhookConfig extends WorkerConfig {

    public static final String HOST = "webhook.host";
    public static final String PORT = "webhook.port";
    public static final String PATH = "webhook.path";
    public static final String VERIFY_TOKEN = "webhook.verify.token";
    public static final String APP_SECRET = "webhook.app.secret";
    public static final String SHARED_HEADER = "webhook.shared.header";
    public static final String SHARED_SECRET = "webhook.shared.secret";
    public static final String MAX_BODY_BYTES = "webhook.max.body.bytes";
    public static final String ACK_TIMEOUT_MS = "webhook.ack.timeout.ms";

    /** The definition, also rendered into the configuration reference. */
    public static final ConfigDef DEFINITION = withTopics(base(ServicePorts.WEBHOOK), TopicKey.STATUS,
            TopicKey.INBOUND, TopicKey.PLATFORM_EVENTS, TopicKey.UNPARSED_WEBHOOKS)
            .define(HOST, Type.STRING, "0.0.0.0", new ConfigDef.NonEmptyString(), Importance.LOW,
                    "Address the webhook endpoint binds.")
            .define(PORT, Type.INT, 8080, Range.between(0, 65535), Importance.HIGH,
                    "TCP port of the webhook endpoint (0 picks a free port).")
            .define(PATH, Type.STRING, "/webhook", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "Path of the webhook endpoint: GET answers Meta's verification handshake, POST takes events.")
            .define(VERIFY_TOKEN, Type.PASSWORD, null, Importance.MEDIUM,
                    "The verify token of Meta's subscription handshake (GET ?hub.mode=subscribe&hub.verify_token=..."
                            + "&hub.challenge=...). Unset: every handshake is refused with 403.")
            .define(APP_SECRET, Type.PASSWORD, null, Importance.HIGH,
                    "Meta's app secret: a POST must carry X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body "
                            + "with this secret>, compared in constant time. Missing signature: 401; wrong: 403.")
            .define(SHARED_HEADER, Type.STRING, "", Importance.MEDIUM,
                    "For 360dialog, which signs nothing: the name of a custom header set in the channel's webhook "
                            + "configuration (POST /v1/configs/webhook {\"url\":...,\"headers\":{...}}) whose value is "
                            + "webhook.shared.secret. A POST carrying neither a valid signature nor this header is refused.")
            .define(SHARED_SECRET, Type.PASSWORD, null, Importance.MEDIUM,
                    "The value of webhook.shared.header, compared in constant time.")
            .define(MAX_BODY_BYTES, Type.INT, TopicNames.JOBS_MAX_MESSAGE_BYTES,
                    Range.between(1024, TopicNames.JOBS_MAX_MESSAGE_BYTES), Importance.LOW,
                    "Largest webhook body taken, in bytes; larger ones get 413. At most 1 MiB, so that a body the "
                            + "receiver cannot read fits the unparsed webhooks topic with its headers.")
            .define(ACK_TIMEOUT_MS, Type.LONG, 10_000L, Range.atLeast(1), Importance.LOW,
                    "How long a webhook waits for Kafka to acknowledge its events before it is answered 503 "
                            + "(the provider retries it later).");

    public WebhookConfig(Map<String, ?> values) {
        super(DEFINITION, values);
        if (appSecret() == null && sharedSecret() == null) {
            throw new ConfigException("set " + APP_SECRET + " (Meta) or " + SHARED_HEADER + " and " + SHARED_SECRET
                    + " (360dialog): the receiver never accepts unauthenticated webhooks");
        }
        if (sharedSecret() != null && sharedHeader().isEmpty()) {
            throw new ConfigException(SHARED_HEADER + " must name the header that carries " + SHARED_SECRET);
        }
    }

    public String host() {
        return getString(HOST);
    }

    public int port() {
        return getInt(PORT);
    }

    public String path() {
        return getString(PATH);
    }

    public Secret verifyToken() {
        return secret(VERIFY_TOKEN);
    }

    public Secret appSecret() {
        return secret(APP_SECRET);
    }

    public String sharedHeader() {
        return getString(SHARED_HEADER).strip();
    }

    public Secret sharedSecret() {
        return secret(SHARED_SECRET);
    }

    public int maxBodyBytes() {
        return getInt(MAX_BODY_BYTES);
    }

    public java.time.Duration ackTimeout() {
        return java.time.Duration.ofMillis(getLong(ACK_TIMEOUT_MS));
    }

    private Secret secret(String key) {
        Password value = getPassword(key);
        return value == null || value.value() == null || value.value().isBlank() ? null : Secret.of(value.value());
    }
}
