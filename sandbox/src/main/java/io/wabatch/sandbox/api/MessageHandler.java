package io.wabatch.sandbox.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.wabatch.sandbox.api.rules.ApiError;
import io.wabatch.sandbox.api.rules.ApiException;
import io.wabatch.sandbox.api.rules.MessageRules;
import io.wabatch.sandbox.api.rules.ValidatedMessage;
import io.wabatch.sandbox.api.stats.AcceptedMessage;
import io.wabatch.sandbox.api.stats.CanonicalJson;
import io.wabatch.sandbox.api.stats.Pricing;
import io.wabatch.sandbox.api.templates.Template;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code POST /messages}: storms and {@code before_accept} faults first, a throughput upgrade's maintenance (131057),
 * then validate by the rules, resolve the recipient (phone digits or BSUID) to a person, check the template catalogue,
 * the account's restrictions (368), apply the conversation rules (24-hour window, messaging limit),
 * spend a token of the (number, person) pair's bucket, spend the number's per-second budget,
 * price it (per-message pricing), record, and answer with a fresh wamid (unless an {@code after_accept} fault loses
 * the answer). A marketing message to a user who stopped marketing messages is accepted and fails by webhook (131050).
 * Rejected messages spend neither budget.
 */
final class MessageHandler {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The status code of a marketing message to a user who stopped marketing messages. */
    static final int STOPPED_MARKETING = 131050;

    private final SandboxState state;
    private final long wamidPrefix = new SecureRandom().nextLong();
    private final AtomicLong wamidCounter = new AtomicLong();

    MessageHandler(SandboxState state) {
        this.state = state;
    }

    /** {@code POST .../messages}. */
    void send(RoutingContext ctx) {
        handle(ctx, false);
    }

    /**
     * {@code POST .../marketing_messages}, the Marketing Messages API: as {@code /messages} for a number that
     * accepted its terms (else 403/200), template messages only (else 100); the answer adds
     * {@code messages[].message_status}.
     */
    void sendMarketing(RoutingContext ctx) {
        handle(ctx, true);
    }

    private void handle(RoutingContext ctx, boolean marketing) {
        NumberState number = ctx.get(Responses.NUMBER);
        if (state.faults().beforeAccept(ctx, number)) {
            return;
        }
        if (number.inMaintenance(System.currentTimeMillis())) {
            throw new ApiException(ApiError.maintenance("Number " + number.id() + " is being upgraded to higher"
                    + " throughput (phone_number_quality_update THROUGHPUT_UPGRADE) and cannot be used until "
                    + java.time.Instant.ofEpochMilli(number.maintenanceUntilMs()) + "."));
        }
        if (marketing && !number.marketingMessagesOnboarded()) {
            throw new ApiException(ApiError.marketingTermsNotAccepted(number.id()));
        }
        JsonNode body = parse(ctx.body().buffer());
        ValidatedMessage message = MessageRules.validate(body, state.media().lookupFor(number.id()));
        if (marketing && !message.type().equals("template")) {
            throw new ApiException(ApiError.templateMessagesOnly());
        }
        Recipient recipient = state.users().recipient(number.businessKey(), message.waId(), message.recipient());
        Template template = state.catalogues().check(number.wabaId(), body, message, marketing);
        String key = recipient.key();
        long now = System.currentTimeMillis();
        boolean windowOpen = state.conversations().windowOpen(number.id(), key, now);
        state.platform().check(number.wabaId(), windowOpen, now);
        state.conversations().check(number.id(), number.portfolioId(), number.businessKey(), key, message.type(), now);
        if (!state.pairs().tryAcquire(number.id(), key)) {
            throw new ApiException(pairLimited());
        }
        long acceptedAt = number.limiter().tryAcquire();
        if (acceptedAt < 0) {
            state.pairs().refund(number.id(), key);
            throw new ApiException(ApiError.rateLimit(state.config().rateLimitHttpStatus(), number.limiter().mps()));
        }
        String wamid = nextWamid();
        Pricing pricing = PricingRules.decide(message.type(), template == null ? null : template.category(),
                marketing, windowOpen, state.platform().entryPointOpen(number.id(), key, now));
        AcceptedMessage accepted = new AcceptedMessage(wamid, number.id(), recipient.digits(), message.type(),
                message.callback(), acceptedAt, recipient.userId(),
                marketing ? AcceptedMessage.MARKETING_MESSAGES : AcceptedMessage.MESSAGES, pricing);
        number.stats().accepted(accepted, CanonicalJson.key(body, key), message.linkMedia());
        // A user who stopped marketing messages: accepted, then failed by webhook, as Meta reports 131050.
        Integer forced = PricingRules.marketing(pricing.category()) && state.platform().optedOut(number.id(), key)
                ? STOPPED_MARKETING : null;
        if (state.webhooks().accepted(accepted, number.wabaId(), forced) == null) {
            number.stats().priced(pricing);
        }
        if (state.faults().afterAccept(ctx, number)) {
            return;
        }
        Responses.json(ctx, 200, answer(message, recipient, wamid, marketing));
    }

    private ApiError pairLimited() {
        PairLimit limit = state.pairLimit();
        return ApiError.pairRateLimit("Message failed to send because there were too many messages sent from this"
                + " phone number to the same phone number in a short period of time (limit "
                + (limit.burst() > 1 ? limit.burst() + " at once, then " : "") + "1 per "
                + (limit.window() == null ? "-" : limit.window().toMillis() + " ms") + ").");
    }

    private static JsonNode parse(Buffer buffer) {
        if (buffer == null || buffer.length() == 0) {
            throw new ApiException(ApiError.invalidParameter("The request body is empty; send a JSON object."));
        }
        try {
            return MAPPER.readTree(buffer.getBytes());
        } catch (JsonProcessingException e) {
            throw new ApiException(ApiError.invalidParameter("The request body is not valid JSON: "
                    + e.getOriginalMessage()));
        } catch (java.io.IOException e) {
            throw new ApiException(ApiError.invalidParameter("The request body could not be read."));
        }
    }

    /**
     * Meta's answer: {@code contacts[]} echoes the input and names the user by {@code wa_id} (only when sent by
     * {@code to}) and {@code user_id} (their BSUID); the Marketing Messages API adds {@code message_status}.
     */
    private static ObjectNode answer(ValidatedMessage message, Recipient recipient, String wamid, boolean marketing) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("messaging_product", "whatsapp");
        ObjectNode contact = root.putArray("contacts").addObject();
        if (message.to() != null) {
            contact.put("input", message.to()).put("wa_id", message.waId());
        } else {
            contact.put("input", message.recipient());
        }
        contact.put("user_id", recipient.userId());
        ObjectNode sent = root.putArray("messages").addObject().put("id", wamid);
        if (marketing) {
            sent.put("message_status", "accepted");
        }
        return root;
    }

    /** {@code wamid.} + base64 of a per-server random prefix and a counter: unique, shaped like Meta's. */
    private String nextWamid() {
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(wamidPrefix).putLong(wamidCounter.incrementAndGet());
        return "wamid." + Base64.getEncoder().encodeToString(bytes.array());
    }
}
