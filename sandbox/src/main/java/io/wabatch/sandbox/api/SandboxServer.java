package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.wabatch.sandbox.Blocking;
import io.wabatch.sandbox.api.media.StoredMedia;
import io.wabatch.sandbox.api.stats.AcceptedMessage;
import io.wabatch.sandbox.api.stats.StatsSnapshot;
import io.wabatch.sandbox.api.templates.TemplateCatalogue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local WhatsApp Business API speaking both 360dialog ({@code /messages}, {@code /media},
 * {@code /{media-id}}, header {@code D360-API-KEY}) and Meta's Cloud API
 * ({@code /v23.0/{phone-number-id}/messages}, ..., {@code Authorization: Bearer}) on one port.
 * It rejects what the real API rejects (see SANDBOX.md) and records what it accepted.
 *
 * <p>The Java methods are blocking conveniences for tests and the command line; do not call them
 * from an event loop. Request handling runs on {@link SandboxConfig#eventLoops()} event loops of a
 * Vert.x instance owned by this server; all recorded state is thread-safe.
 *
 * <p>It is nearly 400 lines because it is the sandbox's one Java face: each setting and record
 * the HTTP admin API offers has a one-line blocking method here, delegating to {@link SandboxState}.
 */
public final class SandboxServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxServer.class);
    private static final long TIMEOUT_SECONDS = 30;

    private final Vertx vertx;
    private final SandboxState state;
    private final int port;
    private final Path tempUploadDir;
    private final String metricsUrl;
    private final SandboxEvents events;

    private SandboxServer(Vertx vertx, SandboxState state, int port, Path tempUploadDir, String metricsUrl) {
        this.vertx = vertx;
        this.state = state;
        this.events = new SandboxEvents(state);
        this.port = port;
        this.tempUploadDir = tempUploadDir;
        this.metricsUrl = metricsUrl;
    }

    /**
     * Starts a sandbox and waits until it listens.
     *
     * @throws IllegalStateException when the port cannot be bound within 30 s
     */
    public static SandboxServer start(SandboxConfig config) {
        Path tempDir = config.uploadDir() == null ? createTempDir() : null;
        Path uploadDir = tempDir != null ? tempDir : config.uploadDir();
        OpsEndpoint ops = config.opsPort() == null ? null : OpsEndpoint.create();
        Vertx vertx = ops == null ? Vertx.vertx() : ops.instrumentedVertx();
        SandboxState state = new SandboxState(config, vertx);
        try {
            AtomicInteger boundPort = new AtomicInteger();
            await(vertx.deployVerticle(() -> new ApiVerticle(state, uploadDir, boundPort),
                    new DeploymentOptions().setInstances(config.eventLoops())));
            state.baseUrl("http://" + config.host() + ":" + boundPort.get());
            LOG.info("WhatsApp sandbox listening on {} for {} numbers", state.baseUrl(), config.numbers().size());
            String metricsUrl = null;
            if (ops != null) {
                int opsPort = await(ops.listen(vertx, config.host(), config.opsPort()));
                metricsUrl = "http://" + config.host() + ":" + opsPort + "/metrics";
                LOG.info("sandbox metrics on {}", metricsUrl);
            }
            return new SandboxServer(vertx, state, boundPort.get(), tempDir, metricsUrl);
        } catch (Exception e) {
            vertx.close();
            if (tempDir != null) {
                deleteTree(tempDir);
            }
            throw new IllegalStateException("sandbox could not start on " + config.host() + ":" + config.port(), e);
        }
    }

    /** The bound port. */
    public int port() {
        return port;
    }

    /** {@code http://HOST:PORT}: the 360dialog base URL (and the admin endpoints' root). */
    public String baseUrl() {
        return state.baseUrl();
    }

    /**
     * {@code http://HOST:OPS_PORT/metrics} when the config has an {@link SandboxConfig#opsPort() ops port}
     * (its {@code /health/live} and {@code /health/ready} beside it), else null.
     */
    public String metricsUrl() {
        return metricsUrl;
    }

    /** {@code baseUrl() + "/v23.0"}: the Meta Cloud API base URL. */
    public String metaBaseUrl() {
        return baseUrl() + "/v23.0";
    }

    /**
     * The configuration this server started with: numbers carry their configured, not current, mps;
     * the pair limit, latency and faults are the configured ones (see {@link #settings()} for the current).
     */
    public SandboxConfig config() {
        return state.config();
    }

    /** The body of {@code GET /_sandbox/stats}: {@code {"numbers":{"<id>":{...}}}}. */
    public ObjectNode stats() {
        return state.statsJson();
    }

    /** One number's counters; {@link IllegalArgumentException} for an unknown number. */
    public StatsSnapshot stats(String numberId) {
        return state.requireNumber(numberId).stats().snapshot();
    }

    /** One number's accepted messages, oldest first; {@link IllegalArgumentException} for an unknown number. */
    public List<AcceptedMessage> messages(String numberId) {
        return state.requireNumber(numberId).stats().messages();
    }

    /** Every upload since the last reset, oldest first, deleted and expired ones included. */
    public List<StoredMedia> uploads() {
        return state.media().all();
    }

    /** Changes a number's messages-per-second limit at once (≥ 1; also {@code PUT /_sandbox/numbers/{id}}). */
    public void setMps(String numberId, int mps) {
        state.requireNumber(numberId).limiter().setMps(mps);
    }

    /** A number's current messages-per-second limit. */
    public int mps(String numberId) {
        return state.requireNumber(numberId).limiter().mps();
    }

    /**
     * Changes the pair rate limit at once ({@link PairLimit#disabled()} turns it off) and forgets every
     * pair's bucket (also {@code PUT /_sandbox/pair_limit}).
     */
    public void setPairLimit(PairLimit limit) {
        state.pairLimit(Objects.requireNonNull(limit, "limit"));
    }

    /** The current pair rate limit. */
    public PairLimit pairLimit() {
        return state.pairLimit();
    }

    /** How many (number, recipient) pairs the pair limit remembers now (idle ones are forgotten). */
    public int trackedPairs() {
        return state.pairs().trackedPairs();
    }

    /** Changes the answer delay of {@code /messages} and {@code /media} at once (also {@code PUT /_sandbox/latency}). */
    public void setLatency(Latency latency) {
        state.answerDelay().latency(Objects.requireNonNull(latency, "latency"));
    }

    /** The current answer delay. */
    public Latency latency() {
        return state.answerDelay().latency();
    }

    /** Changes the injected faults at once ({@link Faults#none()} turns them off; also {@code PUT /_sandbox/faults}). */
    public void setFaults(Faults faults) {
        state.faults().faults(Objects.requireNonNull(faults, "faults"));
    }

    /** The current injected faults. */
    public Faults faults() {
        return state.faults().faults();
    }

    /**
     * Starts a storm now, replacing one on the same number (also {@code POST /_sandbox/storm});
     * {@link IllegalArgumentException} for an unknown number.
     */
    public void startStorm(Storm storm) {
        if (storm.number() != null) {
            state.requireNumber(storm.number());
        }
        state.faults().storms().start(storm);
    }

    /**
     * Turns status webhooks on (or, with JSON {@code null}, off), as {@code PUT /_sandbox/webhooks} does:
     * {@code {"url": ..., "app_secret": ..., "step": 50, "read_share": 1.0, "failed_share": 0.1,
     * "failed_codes": [131026], "fail_recipients": {"4915...": 131053}, "copies": 3, "out_of_order": true}}.
     *
     * @throws IllegalArgumentException for a bad setting
     */
    public void setWebhooks(String json) {
        try {
            state.webhooks().settings(WebhookSettings.fromJson(new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(json)));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("webhook settings are not JSON: " + e.getMessage(), e);
        }
    }

    /**
     * What the sandbox posted and the ground truth of the statuses it decided, as served by {@code GET
     * /_sandbox/webhooks}: {@code {"posted", "answered_ok", "refused", "undeliverable", "statuses": {the same
     * four}, "inbound": {the same four}, "numbers": {id: {"sent": n, "delivered": n, "read": n, "failed": n,
     * "failed_by_code": {...}}}}}}: the first four of every post, then of status posts and of customers'
     * messages apart. {@code posted} and {@code refused} count attempts, {@code answered_ok} and
     * {@code undeliverable} bodies.
     */
    public ObjectNode webhooks() {
        return state.webhooks().toJson();
    }

    /**
     * The round trips of the webhook posts the receiver answered 2xx since the last reset (post sent to
     * answer read), in microseconds, oldest first (at most the latest 1,048,576).
     */
    public long[] webhookLatenciesMicros() {
        return state.webhooks().latenciesMicros();
    }

    /**
     * Sets the conversation rules (as {@code PUT /_sandbox/policy}): {@code {"window": true, "window_ms":
     * 86400000, "tiers": {"<portfolio id or number id>": 250}, "tier_window_ms": 86400000}}; JSON {@code null}
     * turns them off. A limit is shared by the numbers of a business portfolio (see SANDBOX.md, Messaging limits).
     */
    public void setPolicy(String json) {
        try {
            state.conversations().configure(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("policy settings are not JSON: " + e.getMessage(), e);
        }
    }

    /**
     * A customer writes to a number (as {@code POST /_sandbox/inbound}): opens their window, posts the webhook
     * (with {@code from_user_id} and {@code contacts[].user_id}).
     *
     * @param from the customer's phone number (any formatting), or a BSUID: one the sandbox issued is that
     *             person; another is a user who hides their phone (the webhook then has no {@code from})
     */
    public void inbound(String numberId, String from, String text) {
        state.inbound(numberId, from, text);
    }

    /**
     * From now on {@code perSecond} customers a second write to the number, evenly spaced, each as {@link #inbound}
     * (counted against the number's throughput limit, the inbound webhook posted); 0 stops the stream, a new rate
     * replaces the old (also {@code POST /_sandbox/inbound_stream}). The stream runs until stopped or the sandbox
     * closes; a reset does not stop it. {@link IllegalArgumentException} for an unknown number or a rate outside
     * 0 to 10,000.
     */
    public void inboundStream(String numberId, int perSecond) {
        state.inboundStreams().set(state.requireNumber(numberId).id(), perSecond);
    }

    /** The rate of the number's inbound stream, 0 when none runs. */
    public int inboundStream(String numberId) {
        return state.inboundStreams().perSecond(state.requireNumber(numberId).id());
    }

    /** Stops every inbound stream. */
    public void stopInboundStreams() {
        state.inboundStreams().stopAll();
    }

    /**
     * The business-scoped user ID (BSUID) of the person with phone {@code phone} (any formatting) as the numbers
     * of {@code numberId}'s business portfolio see them (its WhatsApp Business Account when it has no portfolio):
     * the same for every number of the portfolio, another in every other portfolio. A message with
     * {@code "recipient": <it>} reaches that person. {@link IllegalArgumentException} for an unknown number or a
     * phone of other than 7 to 15 digits.
     */
    public String bsuid(String numberId, String phone) {
        return state.bsuid(numberId, phone);
    }

    /** The parent BSUID ({@code CC.ENT.…}) of the person with phone {@code phone}: one for every portfolio. */
    public String parentBsuid(String phone) {
        return state.parentBsuid(phone);
    }

    /**
     * Moves the number's WhatsApp Business Account (all its numbers) into business portfolio {@code portfolioId}
     * ({@code null}: none), as {@code PUT /_sandbox/numbers/{id} {"portfolio_id": ...}}: from now on its users'
     * BSUIDs and its messaging limit are the portfolio's.
     */
    public void setPortfolio(String numberId, String portfolioId) {
        state.portfolio(numberId, portfolioId);
    }

    /** The number's current business portfolio, or null. */
    public String portfolio(String numberId) {
        return state.requireNumber(numberId).portfolioId();
    }

    /**
     * Records whether the number's business accepted the Marketing Messages API terms (as {@code PUT
     * /_sandbox/numbers/{id} {"marketing_messages_onboarded": true}}); until it has, {@code /marketing_messages}
     * answers 403 with code 200.
     */
    public void setMarketingMessagesOnboarded(String numberId, boolean onboarded) {
        state.requireNumber(numberId).marketingMessagesOnboarded(onboarded);
    }

    /** Whether the number may send by {@code /marketing_messages}. */
    public boolean marketingMessagesOnboarded(String numberId) {
        return state.requireNumber(numberId).marketingMessagesOnboarded();
    }

    /**
     * Gives WhatsApp Business Account {@code wabaId} a template catalogue (as {@code PUT
     * /_sandbox/templates/{waba-id}}), e.g. {@link TemplateCatalogue#sample()}: its numbers' template sends are checked against it (132001, 132015,
     * 132016, 132000, 132012, 131062) and the template lists serve it. {@code null} removes it.
     *
     * @throws IllegalArgumentException when no configured number belongs to that account
     */
    public void setTemplates(String wabaId, TemplateCatalogue catalogue) {
        state.catalogues().set(state.requireWaba(wabaId), catalogue);
    }

    /** As {@link #setTemplates(String, TemplateCatalogue)} from a JSON array of templates in Meta's shape. */
    public void setTemplates(String wabaId, String json) {
        setTemplates(wabaId, TemplateCatalogue.fromJson(json));
    }

    /**
     * Changes one template's status in the account's catalogue (e.g. {@code PAUSED}, {@code DISABLED}, or
     * {@code APPROVED} again), as Meta does; {@link IllegalArgumentException} for no such template or status.
     */
    public void setTemplateStatus(String wabaId, String name, String language, String status) {
        state.catalogues().status(state.requireWaba(wabaId), name, language, status);
    }

    /** The account's catalogue, or null when it has none (templates are sent unchecked). */
    public TemplateCatalogue templates(String wabaId) {
        return state.catalogues().of(state.requireWaba(wabaId)).orElse(null);
    }

    /** The WhatsApp Business Account of a number. */
    public String wabaId(String numberId) {
        return state.requireNumber(numberId).wabaId();
    }

    /**
     * Platform events: each method posts one (signed, to the webhook URL) after making the sandbox act on it, e.g.
     * {@code events().templateStatus(wabaId, "summer_sale", "en_US", "PAUSED")}, {@code
     * events().userPreference(numberId, phone, "stop")}, {@code events().throughputUpgrade(numberId, window)}, {@code
     * events().accountRestriction(wabaId, "RESTRICTED_BIZ_INITIATED_MESSAGING", expiry)} (SANDBOX.md, Platform events).
     */
    public SandboxEvents events() {
        return events;
    }

    /** As {@code events().post(field, params)}: any event, {@code params} naming {@code number} or {@code waba_id}. */
    public PostedEvent postEvent(String field, ObjectNode params) {
        return events.post(field, params);
    }

    /**
     * A person writes to a number through a free entry point (a click-to-WhatsApp ad, a Page button; also {@code POST
     * /_sandbox/entry_points}): their 24-hour window opens and every message of the number to them is free
     * ({@code free_entry_point}) for {@code window} (Meta: 72 hours). No webhook is posted.
     */
    public void entryPoint(String numberId, String user, java.time.Duration window) {
        state.entryPoint(numberId, user, window);
    }

    /** As {@link #entryPoint(String, String, java.time.Duration)} with Meta's 72 hours. */
    public void entryPoint(String numberId, String user) {
        entryPoint(numberId, user, AdminHandler.ENTRY_POINT_WINDOW);
    }

    /** The conversation rules and their {@code tier_violations}, as in {@code GET /_sandbox/settings}. */
    public ObjectNode policy() {
        return state.conversations().toJson();
    }

    /** Ends every storm at once (also {@code DELETE /_sandbox/storm}). */
    public void stopStorms() {
        state.faults().storms().stopAll();
    }

    /** Requests held unanswered by the {@code timeout} fault right now. */
    public int heldRequests() {
        return state.faults().heldRequests();
    }

    /** The body of {@code GET /_sandbox/settings}: pair limit, latency, faults, storms, seed. */
    public ObjectNode settings() {
        return state.settingsJson();
    }

    /**
     * Clears stats, messages, uploads and pair buckets and restarts the random draws from the seed
     * (as {@code POST /_sandbox/reset}); runtime settings stay.
     */
    public void reset() {
        state.reset();
    }

    /** Stops listening, closes the Vert.x instance and deletes a temporary upload directory. */
    @Override
    public void close() {
        await(vertx.close());
        if (tempUploadDir != null) {
            deleteTree(tempUploadDir);
        }
    }

    private static <T> T await(Future<T> future) {
        return Blocking.await(future, TIMEOUT_SECONDS, "sandbox");
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("wabatch-sandbox-uploads");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the sandbox upload directory", e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not delete the upload directory {}: {}", dir, e.toString());
        }
    }
}
