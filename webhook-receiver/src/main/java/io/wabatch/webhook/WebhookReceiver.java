package io.wabatch.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.wabatch.common.service.WorkerProcess;
import io.wabatch.common.contract.StatusEvent;
import io.wabatch.common.kafka.KafkaClients;
import io.wabatch.common.kafka.TopicException;
import io.wabatch.common.kafka.TopicNames;
import io.wabatch.common.kafka.Topics;
import io.wabatch.common.metrics.Meters;
import io.wabatch.common.metrics.Metric;
import io.wabatch.common.observe.Health;
import io.wabatch.common.observe.Observability;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook receiver (its own process, DESIGN §2): answers Meta's verification handshake, checks
 * each POST's signature (Meta) or shared header (360dialog) over the raw body, writes the statuses
 * to {@code wa.status} (key: wamid), the customers' messages to {@code wa.inbound} (key: their
 * number) and the other fields' events to {@code wa.platform.events} (key: the business account),
 * and answers 200 only once Kafka has acknowledged every event ({@code acks=all}), so a webhook the
 * provider saw answered is never lost. It never refuses a correctly signed webhook: a body it cannot
 * read goes raw to {@code wa.webhooks.unparsed} with the reason, and is answered 200 once stored
 * there (else the provider would resend it for days). Stateless: a webhook delivered twice is
 * written twice, each event with the same dedupe key, and its consumers count it once.
 */
public final class WebhookReceiver implements WorkerProcess.Worker {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookReceiver.class);
    private static final Set<String> STATUSES = Set.of(StatusEvent.SENT, StatusEvent.DELIVERED, StatusEvent.READ,
            StatusEvent.FAILED);

    private final WebhookConfig config;
    private final Vertx vertx;
    private final KafkaProducer<byte[], byte[]> producer;
    private final WebhookAuth auth;
    private final Meters meters;
    private final WebhookRecords records;
    private final Timer ackLatency;
    private final Clock clock = Clock.systemUTC();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private HttpServer server;
    private volatile boolean producing = true;

    private WebhookReceiver(WebhookConfig config, MeterRegistry registry) {
        this.config = config;
        this.vertx = Observability.vertx(registry);
        this.meters = new Meters(registry);
        this.ackLatency = meters.timer(Metric.WEBHOOK_ACK_LATENCY);
        this.auth = new WebhookAuth(config.appSecret(), config.sharedHeader(), config.sharedSecret(),
                config.verifyToken());
        // send() runs on the event loop: with Kafka away and the buffer full it may block, at most this long.
        this.producer = KafkaClients.producer(config, "wabatch-webhook-" + UUID.randomUUID().toString().substring(0, 8),
                Map.of(org.apache.kafka.clients.producer.ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        config.ackTimeout().toMillis()));
        TopicNames topics = config.topics();
        this.records = new WebhookRecords(topics);
        // Metadata is fetched here, so that no send on the event loop waits for it.
        for (String topic : topicsWritten(topics)) {
            producer.partitionsFor(topic);
        }
        for (UnparsedReason reason : UnparsedReason.values()) {
            meters.counter(Metric.WEBHOOK_UNPARSED, "reason", reason.tag());
        }
    }

    private static List<String> topicsWritten(TopicNames names) {
        return List.of(names.status(), names.inbound(), names.platformEvents(), names.unparsedWebhooks());
    }

    /**
     * Checks the topics, then listens on {@code webhook.host:webhook.port}.
     *
     * @throws TopicException when {@code wa.status}, {@code wa.inbound}, {@code wa.platform.events} or
     *                        {@code wa.webhooks.unparsed} is missing or misconfigured
     */
    public static WebhookReceiver start(WebhookConfig config, MeterRegistry meters) throws Exception {
        if (config.checkTopics()) {
            TopicNames names = config.topics();
            try (Admin admin = Admin.create(KafkaClients.adminProperties(config))) {
                Topics.check(admin, topicsWritten(names).stream().map(topic -> names.spec(topic, 1)).toList(), 1);
            }
        }
        WebhookReceiver receiver = new WebhookReceiver(config, meters);
        receiver.listen();
        return receiver;
    }

    private void listen() throws Exception {
        server = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port()))
                .requestHandler(this::handle);
        server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        LOG.info("webhook receiver listening on {}:{}{}", config.host(), server.actualPort(), config.path());
    }

    /** The port the endpoint listens on (useful when {@code webhook.port} is 0). */
    public int port() {
        return server.actualPort();
    }

    private void handle(HttpServerRequest request) {
        if (!request.path().equals(config.path())) {
            request.response().setStatusCode(404).end();
            return;
        }
        long started = System.nanoTime();
        if (request.method() == HttpMethod.GET) {
            String challenge = auth.handshake(request.getParam("hub.mode"), request.getParam("hub.verify_token"),
                    request.getParam("hub.challenge"));
            answer(request, challenge == null ? 403 : 200, challenge == null ? "verify token refused" : challenge,
                    challenge == null ? "forbidden" : "handshake", started);
            return;
        }
        if (request.method() != HttpMethod.POST) {
            request.response().setStatusCode(405).putHeader("Allow", "GET, POST").end();
            return;
        }
        String length = request.getHeader("Content-Length");
        if (length != null && tooLarge(length)) {
            answer(request, 413, "body larger than " + config.maxBodyBytes() + " bytes", "too_large", started);
            return;
        }
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() <= config.maxBodyBytes()) {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(v -> {
            if (body.length() > config.maxBodyBytes()) {
                answer(request, 413, "body larger than " + config.maxBodyBytes() + " bytes", "too_large", started);
                return;
            }
            posted(request, body.getBytes(), started);
        });
    }

    private boolean tooLarge(String length) {
        try {
            return Long.parseLong(length.strip()) > config.maxBodyBytes();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void posted(HttpServerRequest request, byte[] body, long started) {
        String shared = auth.sharedHeader() == null ? null : request.getHeader(auth.sharedHeader());
        WebhookAuth.Verdict verdict = auth.check(body, request.getHeader(WebhookAuth.SIGNATURE_HEADER), shared);
        if (verdict != WebhookAuth.Verdict.OK) {
            boolean missing = verdict == WebhookAuth.Verdict.MISSING;
            LOG.warn("webhook from {} refused: {}", request.remoteAddress(), missing ? "no signature" : "wrong signature");
            answer(request, missing ? 401 : 403, missing ? "signature required" : "signature does not match",
                    missing ? "unauthorized" : "forbidden", started);
            return;
        }
        WebhookRecords.Outcome outcome = records.read(body, clock.instant());
        if (outcome.unparsed() != null) {
            // Not the detail when nothing was read: Jackson's messages quote the body, which holds phone numbers.
            LOG.warn("signed webhook of {} bytes {}: its raw body goes to the unparsed topic ({})", body.length,
                    outcome.events() == null ? "is not readable" : "is partly unreadable", outcome.events() == null
                            ? outcome.unparsed().tag() : outcome.detail());
        }
        write(outcome.records()).onComplete(ar -> {
            if (ar.succeeded()) {
                count(outcome.events(), outcome.unparsed());
                answer(request, 200, "", "accepted", started);
            } else {
                LOG.error("webhook events not acknowledged by Kafka: {}; answered 503, the provider retries",
                        ar.cause().toString());
                answer(request, 503, "events not stored, retry later", "unavailable", started);
            }
        });
    }

    private void count(WebhookEvents.Parsed events, UnparsedReason unparsed) {
        if (unparsed != null) {
            meters.counter(Metric.WEBHOOK_UNPARSED, "reason", unparsed.tag()).increment();
        }
        if (events == null) {
            return;
        }
        events.statuses().forEach(s -> meters.counter(Metric.WEBHOOK_EVENTS, "kind", "status", "status",
                STATUSES.contains(s.status()) ? s.status() : "other").increment());
        if (!events.inbound().isEmpty()) {
            meters.counter(Metric.WEBHOOK_EVENTS, "kind", "inbound", "status", "none")
                    .increment(events.inbound().size());
        }
        if (!events.platform().isEmpty()) {
            meters.counter(Metric.WEBHOOK_EVENTS, "kind", "platform", "status", "none")
                    .increment(events.platform().size());
        }
    }

    /** Sends every record; completes when Kafka acknowledged all of them, or with the first failure. */
    private Future<Void> write(List<ProducerRecord<byte[], byte[]>> records) {
        if (!producing) {
            return Future.failedFuture("the receiver is closing");
        }
        if (records.isEmpty()) {
            return Future.succeededFuture();
        }
        var context = vertx.getOrCreateContext();
        List<Future<Void>> acks = new ArrayList<>(records.size());
        for (ProducerRecord<byte[], byte[]> record : records) {
            Promise<Void> ack = Promise.promise();
            acks.add(ack.future());
            try {
                producer.send(record, (metadata, error) -> context.runOnContext(v -> {
                    if (error == null) {
                        ack.complete();
                    } else {
                        ack.fail(error);
                    }
                }));
            } catch (RuntimeException e) {
                ack.fail(e);
            }
        }
        return Future.all(acks).<Void>mapEmpty()
                .timeout(config.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void answer(HttpServerRequest request, int status, String body, String result, long started) {
        meters.counter(Metric.WEBHOOK_REQUESTS, "result", result).increment();
        ackLatency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        request.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(body);
    }

    @Override
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    @Override
    public Health live() {
        return Health.of("http", server != null);
    }

    @Override
    public Health ready() {
        return Health.of("http", server != null && producing);
    }

    /** Stops taking webhooks, lets those in progress finish, flushes and closes. */
    @Override
    public void close() {
        producing = false;
        try {
            if (server != null) {
                server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            LOG.warn("webhook server did not close cleanly: {}", e.toString());
        }
        producer.close(java.time.Duration.ofSeconds(10));
        vertx.close().toCompletionStage().toCompletableFuture().join();
        terminated.complete(null);
    }
}
