package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.HttpClient;
import io.wabatch.sandbox.api.stats.AcceptedMessage;
import io.wabatch.sandbox.api.stats.Pricing;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Posts status webhooks for accepted messages, as Meta's Cloud API does: {@code sent}, then
 * {@code delivered} and (for a share) {@code read}, or {@code failed} with an error code for a
 * configurable share; each echoing the message's {@code biz_opaque_callback_data}, signed with the
 * app secret ({@code X-Hub-Signature-256}) or carrying a shared header. On request each status is
 * posted several times and a message's statuses newest first. A post that is not answered 2xx is
 * retried (up to {@value #MAX_TRIES} times), as the providers do.
 *
 * <p>Keeps the ground truth the funnel is compared with: per number, the distinct statuses it
 * decided ({@code sent}, {@code delivered}, {@code read}, {@code failed} by code), regardless of how
 * often or in which order they were posted.
 */
final class StatusWebhooks {

    static final int MAX_TRIES = 5;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Vertx vertx;
    private final HttpClient client;
    private final Random random;
    private volatile WebhookSettings settings;
    private final Map<String, Map<String, Long>> truth = new TreeMap<>();
    private final Map<String, Map<Integer, Long>> failedByCode = new TreeMap<>();
    /** Posts of statuses and of customers' messages, apart: a receiver writes them to different topics. */
    private final PostTally statusPosts = new PostTally();
    private final PostTally inboundPosts = new PostTally();
    private long eventsPosted;
    private long eventsAnsweredOk;
    /** Round trips of posts answered 2xx, in microseconds, the latest {@link #KEPT_LATENCIES}. */
    private final long[] latencies = new long[KEPT_LATENCIES];
    private long latencyCount;
    static final int KEPT_LATENCIES = 1 << 20;

    StatusWebhooks(Vertx vertx, WebhookSettings settings, Long seed) {
        this.vertx = vertx;
        // Meta and 360dialog post webhooks concurrently; Vert.x's default of 5 connections would queue them here.
        this.client = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions().setKeepAlive(true)
                        .setConnectTimeout(5_000),
                new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64));
        this.settings = settings;
        this.random = seed == null ? new Random() : new Random(seed ^ 0x77EB);
    }

    WebhookSettings settings() {
        return settings;
    }

    void settings(WebhookSettings value) {
        settings = value;
    }

    /**
     * Schedules the statuses of a message just accepted and decides whether it fails.
     *
     * @param forcedFailure a code the message fails with whatever the settings say (131050: the user stopped
     *                      marketing messages), or null
     * @return the code the message fails with, or null when it is delivered (always {@code forcedFailure} while
     *         webhooks are off)
     */
    Integer accepted(AcceptedMessage message, String wabaId, Integer forcedFailure) {
        WebhookSettings current = settings;
        if (!current.enabled()) {
            return forcedFailure;
        }
        List<ObjectNode> statuses = new ArrayList<>();
        Integer failure = forcedFailure;
        if (failure == null && message.to() != null) {
            failure = current.failRecipients().get(message.to());
        }
        if (failure == null && message.userId() != null) {
            failure = current.failRecipients().get(message.userId());
        }
        synchronized (this) {
            if (failure == null && random.nextDouble() < current.failedShare()) {
                failure = current.failedCodes().get(random.nextInt(current.failedCodes().size()));
            }
            statuses.add(status(message, "sent", null, true));
            count(message.number(), "sent", null);
            if (failure != null) {
                statuses.add(status(message, "failed", failure, false));
                count(message.number(), "failed", failure);
            } else {
                statuses.add(status(message, "delivered", null, true));
                count(message.number(), "delivered", null);
                if (random.nextDouble() < current.readShare()) {
                    statuses.add(status(message, "read", null, true));
                    count(message.number(), "read", null);
                }
            }
        }
        if (current.outOfOrder()) {
            java.util.Collections.reverse(statuses);
        }
        long step = Math.max(1, current.step().toMillis());
        for (int i = 0; i < statuses.size(); i++) {
            byte[] body = payload(wabaId, message.number(), statuses.get(i));
            vertx.setTimer(step * (i + 1), t -> {
                for (int copy = 0; copy < current.copies(); copy++) {
                    post(current, body, 1, statusPosts);
                }
            });
        }
        return failure;
    }

    /**
     * Posts one platform event body once, signed like the statuses, and completes with the receiver's HTTP status
     * (null while webhooks are off: nothing is posted). Not retried: the caller sees the answer.
     */
    /** How long a webhook POST may go without a byte of answer before it fails. */
    private static final long POST_TIMEOUT_MS = 10_000;

    Future<Integer> postEvent(byte[] body) {
        WebhookSettings current = settings;
        if (!current.enabled()) {
            return Future.succeededFuture(null);
        }
        synchronized (this) {
            eventsPosted++;
        }
        return send(current, body).andThen(ar -> {
            synchronized (this) {
                if (ar.succeeded() && ar.result() / 100 == 2) {
                    eventsAnsweredOk++;
                }
            }
        });
    }

    /**
     * Posts a customer's message to {@code number} as an inbound webhook (when webhooks are on): {@code from} and
     * {@code contacts[].wa_id} carry the phone digits (absent for a username user), {@code from_user_id} and
     * {@code contacts[].user_id} the customer's BSUID.
     */
    void inbound(String number, String wabaId, Recipient from, String text, String wamid) {
        WebhookSettings current = settings;
        if (!current.enabled()) {
            return;
        }
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        if (from.digits() != null) {
            message.put("from", from.digits());
        }
        message.put("from_user_id", from.userId());
        message.put("id", wamid);
        message.put("timestamp", Long.toString(System.currentTimeMillis() / 1000));
        message.put("type", "text");
        message.putObject("text").put("body", text);
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("object", "whatsapp_business_account");
        ObjectNode change = root.putArray("entry").addObject().put("id", wabaId).putArray("changes").addObject();
        change.put("field", "messages");
        ObjectNode value = change.putObject("value");
        value.put("messaging_product", "whatsapp");
        value.putObject("metadata").put("display_phone_number", number).put("phone_number_id", number);
        ObjectNode contact = value.putArray("contacts").addObject();
        if (from.digits() != null) {
            contact.put("wa_id", from.digits());
        }
        contact.put("user_id", from.userId());
        contact.putObject("profile").put("name", "Customer");
        value.putArray("messages").add(message);
        try {
            post(current, MAPPER.writeValueAsBytes(root), 1, inboundPosts);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void post(WebhookSettings current, byte[] body, int attempt, PostTally tally) {
        synchronized (this) {
            tally.posted();
        }
        long started = System.nanoTime();
        send(current, body).onComplete(ar -> {
            boolean ok = ar.succeeded() && ar.result() / 100 == 2;
            synchronized (this) {
                tally.answered(ok);
                if (ok) {
                    latencies[(int) (latencyCount++ % KEPT_LATENCIES)] = (System.nanoTime() - started) / 1_000;
                }
            }
            if (!ok) {
                if (attempt < MAX_TRIES) {
                    vertx.setTimer(100L << attempt, t -> post(current, body, attempt + 1, tally));
                } else {
                    synchronized (this) {
                        tally.gaveUp();
                    }
                }
            }
        });
    }

    /** One signed POST of {@code body}; completes with the HTTP status once the answer's body is read. */
    private Future<Integer> send(WebhookSettings current, byte[] body) {
        if (!io.vertx.core.Context.isOnVertxThread()) {
            // Sent from an event loop, as the statuses are: sent from the caller's thread (a test's, a bench's), a
            // post now and then waited for ever (no thread busy; Vert.x 5.0.7, cause not found).
            io.vertx.core.Promise<Integer> answered = io.vertx.core.Promise.promise();
            vertx.runOnContext(v -> send(current, body).onComplete(answered));
            return answered.future();
        }
        // Meta gives a receiver a few seconds; a receiver that never answers must not hold a connection for ever.
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(current.url())
                .putHeader("Content-Type", "application/json").setIdleTimeout(POST_TIMEOUT_MS);
        if (current.appSecret() != null) {
            options.putHeader("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(hmac(current.appSecret(), body)));
        }
        if (current.sharedHeader() != null && current.sharedValue() != null) {
            options.putHeader(current.sharedHeader(), current.sharedValue());
        }
        return client.request(options).compose(request -> request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(b -> response.statusCode()));
    }

    /**
     * One status; {@code priced}: it carries {@code conversation} and {@code pricing}. Every {@code sent} does, as
     * Meta's do, also of a message that then fails: it is not charged (the stats' truth leaves it out), so a cost count
     * must not charge a message whose status ends {@code failed}. {@code failed} carries none.
     */
    private static ObjectNode status(AcceptedMessage message, String status, Integer code, boolean priced) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", message.wamid());
        node.put("status", status);
        node.put("timestamp", Long.toString(System.currentTimeMillis() / 1000));
        if (message.to() != null) {
            node.put("recipient_id", message.to());
        }
        if (message.userId() != null) {
            node.put("recipient_user_id", message.userId());
        }
        if (message.callback() != null) {
            node.put("biz_opaque_callback_data", message.callback());
        }
        if (code == null && priced) {
            Pricing pricing = message.pricing() != null ? message.pricing()
                    : PricingRules.decide(message.type(), null, false, false, false);
            node.putObject("conversation").put("id", "conv-" + message.recipientKey())
                    .putObject("origin").put("type", pricing.category());
            node.set("pricing", pricing.toJson());
        } else if (code != null) {
            ObjectNode error = node.putArray("errors").addObject();
            error.put("code", code);
            error.put("title", title(code));
            error.put("message", title(code));
            error.putObject("error_data").put("details", title(code) + " (sandbox)");
        }
        return node;
    }

    private static String title(int code) {
        return switch (code) {
            case 131026 -> "Message undeliverable";
            case 131047 -> "Re-engagement message";
            case 131049 -> "This message was not delivered to maintain healthy ecosystem engagement.";
            case 131050 -> "User has stopped marketing messages";
            case 131053 -> "Media upload error";
            case 131062 -> "Business-scoped User ID recipients are not supported for this message";
            default -> "Failure " + code;
        };
    }

    private static byte[] payload(String wabaId, String number, ObjectNode status) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("object", "whatsapp_business_account");
        ObjectNode change = root.putArray("entry").addObject().put("id", wabaId).putArray("changes").addObject();
        change.put("field", "messages");
        ObjectNode value = change.putObject("value");
        value.put("messaging_product", "whatsapp");
        value.putObject("metadata").put("display_phone_number", number).put("phone_number_id", number);
        ArrayNode statuses = value.putArray("statuses");
        statuses.add(status);
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void count(String number, String status, Integer code) {
        truth.computeIfAbsent(number, n -> new TreeMap<>()).merge(status, 1L, Long::sum);
        if (code != null) {
            failedByCode.computeIfAbsent(number, n -> new TreeMap<>()).merge(code, 1L, Long::sum);
        }
    }

    /**
     * {@code {"posted": n, "answered_ok": n, "refused": n, "undeliverable": n, "statuses": {the same four},
     * "inbound": {the same four}, "events_posted": n, "events_answered_ok": n, "numbers": {id: {...}}}}: the
     * first four count statuses and customers' messages together, {@code statuses} and {@code inbound} each.
     */
    synchronized ObjectNode toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        PostTally.writeSum(root, statusPosts, inboundPosts);
        statusPosts.write(root.putObject("statuses"));
        inboundPosts.write(root.putObject("inbound"));
        root.put("events_posted", eventsPosted).put("events_answered_ok", eventsAnsweredOk);
        ObjectNode numbers = root.putObject("numbers");
        truth.forEach((number, counts) -> {
            ObjectNode node = numbers.putObject(number);
            counts.forEach(node::put);
            ObjectNode codes = node.putObject("failed_by_code");
            failedByCode.getOrDefault(number, Map.of()).forEach((code, n) -> codes.put(code.toString(), n));
        });
        return root;
    }

    /** Round trips (post to answer) of the posts answered 2xx, in microseconds, oldest kept first. */
    synchronized long[] latenciesMicros() {
        int n = (int) Math.min(latencyCount, KEPT_LATENCIES);
        long[] copy = new long[n];
        for (int i = 0; i < n; i++) {
            copy[i] = latencies[(int) ((latencyCount - n + i) % KEPT_LATENCIES)];
        }
        return copy;
    }

    synchronized void reset() {
        latencyCount = 0;
        truth.clear();
        failedByCode.clear();
        statusPosts.reset();
        inboundPosts.reset();
        eventsPosted = 0;
        eventsAnsweredOk = 0;
    }

    void close() {
        client.close();
    }
}
