package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.sandbox.api.media.MediaStore;
import io.wabatch.sandbox.api.stats.PairLimiter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the sandbox remembers, shared by all event loops: numbers, their stats, media, and the
 * runtime behaviour (pair limit, latency, faults, storms) with its random source.
 */
final class SandboxState {

    private final SandboxConfig config;
    private final Map<String, NumberState> byId = new LinkedHashMap<>();
    private final Map<String, NumberState> byApiKey = new HashMap<>();
    private final Map<String, List<NumberState>> byToken = new HashMap<>();
    private final MediaStore media;
    private final PairLimiter pairs;
    private final SandboxRandom random;
    private final AnswerDelay answerDelay;
    private final FaultInjector faults;
    private final StatusWebhooks webhooks;
    private final Conversations conversations = new Conversations();
    private final BusinessUsers users = new BusinessUsers(() -> byId.values().stream()
            .map(NumberState::businessKey).distinct().toList());
    private final Catalogues catalogues;
    private final PlatformRules platform = new PlatformRules();
    private final io.vertx.core.Vertx vertx;
    private final InboundStreams inboundStreams;
    private volatile PairLimit pairLimit;
    private volatile String baseUrl;

    SandboxState(SandboxConfig config, io.vertx.core.Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
        this.media = new MediaStore(config.mediaTtl());
        this.pairLimit = config.pairLimit();
        this.pairs = new PairLimiter(pairLimit.window(), pairLimit.burst());
        this.random = new SandboxRandom(config.seed());
        this.answerDelay = new AnswerDelay(config.latency(), random);
        this.faults = new FaultInjector(config.faults(), config.storm(), random);
        this.webhooks = new StatusWebhooks(vertx, WebhookSettings.off(), config.seed());
        this.catalogues = new Catalogues(config.templates());
        this.inboundStreams = new InboundStreams(vertx, this::inbound);
        for (SandboxNumber number : config.numbers()) {
            NumberState state = new NumberState(number);
            byId.put(number.id(), state);
            if (number.apiKey() != null) {
                byApiKey.put(number.apiKey(), state);
            }
            if (number.accessToken() != null) {
                byToken.computeIfAbsent(number.accessToken(), t -> new ArrayList<>()).add(state);
            }
        }
    }

    SandboxConfig config() {
        return config;
    }

    /** {@code http://host:port}, known once the first server is bound. */
    String baseUrl() {
        return baseUrl;
    }

    void baseUrl(String url) {
        baseUrl = url;
    }

    MediaStore media() {
        return media;
    }

    PairLimiter pairs() {
        return pairs;
    }

    PairLimit pairLimit() {
        return pairLimit;
    }

    /** Changes the pair limit at once and forgets every pair's bucket. */
    synchronized void pairLimit(PairLimit limit) {
        pairLimit = limit;
        pairs.configure(limit.window(), limit.burst());
    }

    AnswerDelay answerDelay() {
        return answerDelay;
    }

    FaultInjector faults() {
        return faults;
    }

    StatusWebhooks webhooks() {
        return webhooks;
    }

    Conversations conversations() {
        return conversations;
    }

    BusinessUsers users() {
        return users;
    }

    Catalogues catalogues() {
        return catalogues;
    }

    PlatformRules platform() {
        return platform;
    }

    io.vertx.core.Vertx vertx() {
        return vertx;
    }

    /** The steady streams of customers writing to numbers. */
    InboundStreams inboundStreams() {
        return inboundStreams;
    }

    /**
     * The person {@code user} (phone digits in any formatting, or a BSUID) is for a number's business: their digits
     * and BSUID, as the number sees them.
     */
    Recipient person(NumberState number, String user) {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("a user (phone number or BSUID) is required");
        }
        if (!io.wabatch.sandbox.api.rules.UserIds.isUserId(user)) {
            digits(user);
        }
        return users.customer(number.businessKey(), user);
    }

    /**
     * A person came through a free entry point (a click-to-WhatsApp ad or a Page's call-to-action button) and wrote:
     * their customer service window opens now, and every message to them from this number is free for
     * {@code window} (Meta: 72 hours). No webhook is posted.
     *
     * @return the person's key ({@link Recipient#key()})
     */
    String entryPoint(String numberId, String user, java.time.Duration window) {
        NumberState number = requireNumber(numberId);
        Recipient person = person(number, user);
        long now = System.currentTimeMillis();
        conversations.inbound(numberId, person.key(), now);
        platform.entryPoint(numberId, person.key(), now + window.toMillis());
        return person.key();
    }

    /** Whether a configured number belongs to WhatsApp Business Account {@code wabaId}. */
    boolean hasWaba(String wabaId) {
        return byId.values().stream().anyMatch(n -> n.wabaId().equals(wabaId));
    }

    /** {@code wabaId} when a configured number belongs to it, else {@link IllegalArgumentException}. */
    String requireWaba(String wabaId) {
        if (!hasWaba(wabaId)) {
            throw new IllegalArgumentException("unknown WhatsApp Business Account '" + wabaId + "'; configured: "
                    + byId.values().stream().map(NumberState::wabaId).distinct().toList());
        }
        return wabaId;
    }

    /** The BSUID the sandbox gives the person with phone {@code phone} (any formatting) for a number's business. */
    String bsuid(String numberId, String phone) {
        return users.issue(requireNumber(numberId).businessKey(), digits(phone));
    }

    /** The parent BSUID of the person with phone {@code phone}, shared by every portfolio. */
    String parentBsuid(String phone) {
        return users.issueParent(digits(phone));
    }

    /**
     * Moves a number's WhatsApp Business Account, with all its numbers, into business portfolio {@code portfolioId}
     * ({@code null}: none); their users' BSUIDs and shared messaging limit follow the portfolio from now on.
     */
    synchronized void portfolio(String numberId, String portfolioId) {
        NumberState number = requireNumber(numberId);
        String checked = SandboxNumber.checkPortfolio(numberId, portfolioId);
        byId.values().stream().filter(n -> n.wabaId().equals(number.wabaId())).forEach(n -> n.portfolioId(checked));
    }

    /**
     * A customer writes to a number: counts against the number's throughput limit of this second (Meta counts
     * inbound and outbound messages alike), opens their 24-hour window and posts the inbound webhook.
     *
     * @param from the customer's phone number (any formatting) or BSUID (a user who hides their phone)
     * @return the inbound message's wamid
     */
    String inbound(String numberId, String from, String text) {
        NumberState number = requireNumber(numberId);
        Recipient customer = users.customer(number.businessKey(), from);
        String wamid = "wamid.inbound." + java.util.UUID.randomUUID();
        long at = number.limiter().countInbound();
        number.stats().inbound(at);
        conversations.inbound(numberId, customer.key(), at);
        webhooks.inbound(numberId, number.wabaId(), customer, text, wamid);
        return wamid;
    }

    private static String digits(String phone) {
        String digits = phone == null ? "" : phone.replaceAll("\\D", "");
        if (digits.length() < 7 || digits.length() > 15) {
            throw new IllegalArgumentException("a phone number has 7 to 15 digits, got '" + phone + "'");
        }
        return digits;
    }

    /** The runtime settings as served by {@code GET /_sandbox/settings}. */
    ObjectNode settingsJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("pair_limit", SettingsJson.toJson(pairLimit).put("tracked_pairs", pairs.trackedPairs()));
        root.set("latency", SettingsJson.toJson(answerDelay.latency()));
        root.set("faults", SettingsJson.toJson(faults.faults()).put("held_requests", faults.heldRequests()));
        root.set("storms", faults.storms().toJson());
        root.set("webhooks", webhooks.settings().toJson());
        root.set("policy", conversations.toJson());
        root.set("platform", platform.toJson(System.currentTimeMillis()));
        root.set("inbound_streams", inboundStreams.toJson());
        root.put("seed", random.seed());
        return root;
    }

    Optional<NumberState> number(String id) {
        return Optional.ofNullable(id == null ? null : byId.get(id));
    }

    /** The number to fetch or fail with a message naming the unknown id. */
    NumberState requireNumber(String id) {
        return number(id).orElseThrow(() -> new IllegalArgumentException("unknown number '" + id
                + "'; configured: " + byId.keySet()));
    }

    Collection<NumberState> numbers() {
        return byId.values();
    }

    Optional<NumberState> byApiKey(String key) {
        return Optional.ofNullable(key == null ? null : byApiKey.get(key));
    }

    List<NumberState> byToken(String token) {
        return token == null ? List.of() : byToken.getOrDefault(token, List.of());
    }

    /** {@code {"numbers":{"<id>":{...}}}} as served by {@code GET /_sandbox/stats}. */
    ObjectNode statsJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode numbers = root.putObject("numbers");
        byId.values().forEach(n -> {
            ObjectNode node = numbers.putObject(n.id());
            node.put("mps", n.limiter().mps());
            node.put("waba_id", n.wabaId());
            node.put("portfolio_id", n.portfolioId());
            node.put("marketing_messages_onboarded", n.marketingMessagesOnboarded());
            long maintenance = n.maintenanceUntilMs();
            node.put("maintenance_until_ms", maintenance == 0 ? null : maintenance);
            node.setAll(n.stats().snapshot().toJson());
        });
        return root;
    }

    /** Accepted messages of one number, or of all when {@code id} is null. */
    ArrayNode messagesJson(String id) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        Collection<NumberState> selected = id == null ? byId.values() : List.of(requireNumber(id));
        selected.forEach(n -> n.stats().messages().forEach(m -> array.add(m.toJson())));
        return array;
    }

    /** Uploads of one number, or of all when {@code id} is null. */
    ArrayNode uploadsJson(String id) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        media.all().stream().filter(m -> id == null || m.number().equals(id)).forEach(m -> array.add(m.toJson()));
        return array;
    }

    /**
     * Clears stats, messages, uploads, webhook ground truth, rate windows and pair buckets, what platform events left
     * in force (opt-outs, entry points, restrictions, a throughput upgrade's maintenance), and restarts the random
     * draws from the seed; keeps the numbers, their current mps, portfolio and onboarding (and so their users'
     * BSUIDs), the template catalogues and the runtime settings (pair limit, latency, faults, storms, policy).
     */
    void reset() {
        byId.values().forEach(n -> {
            n.stats().reset();
            n.limiter().reset();
            n.cancelUpgrade();
        });
        platform.reset();
        pairs.reset();
        webhooks.reset();
        conversations.reset();
        random.reseed();
        media.clear();
    }
}
