package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vertx.ext.web.RoutingContext;
import io.wabatch.sandbox.api.templates.TemplateCatalogue;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The unauthenticated {@code /_sandbox/*} endpoints: what the sandbox saw, reset, and the runtime
 * settings (pace, pair limit, latency, faults, storms).
 */
final class AdminHandler {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final java.util.Set<String> NUMBER_KEYS =
            java.util.Set.of("mps", "portfolio_id", "marketing_messages_onboarded");

    /** Meta's free entry point window: 72 hours. */
    static final java.time.Duration ENTRY_POINT_WINDOW = java.time.Duration.ofHours(72);

    private final SandboxState state;
    private final PlatformEvents events;

    AdminHandler(SandboxState state) {
        this.state = state;
        this.events = new PlatformEvents(state);
    }

    void stats(RoutingContext ctx) {
        Responses.json(ctx, 200, state.statsJson());
    }

    void messages(RoutingContext ctx) {
        String number = ctx.request().getParam("number");
        if (number != null && state.number(number).isEmpty()) {
            Responses.adminError(ctx, 404, "unknown number '" + number + "'");
            return;
        }
        Responses.json(ctx, 200, state.messagesJson(number));
    }

    void uploads(RoutingContext ctx) {
        Responses.json(ctx, 200, state.uploadsJson(ctx.request().getParam("number")));
    }

    void reset(RoutingContext ctx) {
        state.reset();
        Responses.json(ctx, 200, JsonNodeFactory.instance.objectNode().put("reset", true));
    }

    /**
     * {@code {"mps": n, "portfolio_id": "..." | null, "marketing_messages_onboarded": true}}, any of them: changes
     * the number's pace, moves its WhatsApp Business Account into a business portfolio, records that it accepted
     * the Marketing Messages API terms. All values are checked before any is applied.
     */
    void putNumber(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        NumberState number = state.number(id).orElse(null);
        if (number == null) {
            Responses.adminError(ctx, 404, "unknown number '" + id + "'");
            return;
        }
        JsonNode body = readBody(ctx);
        String problem = numberSettingsProblem(body);
        if (problem != null) {
            Responses.adminError(ctx, 400, problem);
            return;
        }
        if (body.has("mps")) {
            number.limiter().setMps(body.get("mps").asInt());
        }
        if (body.has("portfolio_id")) {
            state.portfolio(id, body.get("portfolio_id").isNull() ? null : body.get("portfolio_id").asText());
        }
        if (body.has("marketing_messages_onboarded")) {
            number.marketingMessagesOnboarded(body.get("marketing_messages_onboarded").asBoolean());
        }
        Responses.json(ctx, 200, JsonNodeFactory.instance.objectNode().put("id", id).put("mps", number.limiter().mps())
                .put("waba_id", number.wabaId()).put("portfolio_id", number.portfolioId())
                .put("marketing_messages_onboarded", number.marketingMessagesOnboarded()));
    }

    /** Why a {@code PUT /_sandbox/numbers/{id}} body is refused, or null when it is fine. */
    private static String numberSettingsProblem(JsonNode body) {
        String shape = "body must be {\"mps\": <integer >= 1>, \"portfolio_id\": \"<id>\" | null,"
                + " \"marketing_messages_onboarded\": true | false} (any of them)";
        if (body == null || !body.isObject() || body.isEmpty()) {
            return shape;
        }
        for (java.util.Iterator<String> it = body.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!NUMBER_KEYS.contains(key)) {
                return "unknown key '" + key + "'; " + shape;
            }
        }
        JsonNode mps = body.get("mps");
        if (mps != null && (!mps.isIntegralNumber() || !mps.canConvertToInt() || mps.asInt() < 1)) {
            return shape;
        }
        JsonNode portfolio = body.get("portfolio_id");
        if (portfolio != null && !portfolio.isNull() && !portfolio.isTextual()) {
            return shape;
        }
        if (portfolio != null && portfolio.isTextual()) {
            try {
                SandboxNumber.checkPortfolio("?", portfolio.asText());
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }
        JsonNode onboarded = body.get("marketing_messages_onboarded");
        if (onboarded != null && !onboarded.isBoolean()) {
            return shape;
        }
        return null;
    }

    void settings(RoutingContext ctx) {
        Responses.json(ctx, 200, state.settingsJson());
    }

    void putPairLimit(RoutingContext ctx) {
        apply(ctx, body -> state.pairLimit(SettingsJson.pairLimit(body)), "pair_limit");
    }

    void putLatency(RoutingContext ctx) {
        apply(ctx, body -> state.answerDelay().latency(SettingsJson.latency(body)), "latency");
    }

    void putFaults(RoutingContext ctx) {
        apply(ctx, body -> state.faults().faults(SettingsJson.faults(body)), "faults");
    }

    void postStorm(RoutingContext ctx) {
        apply(ctx, body -> {
            Storm storm = SettingsJson.storm(body);
            if (storm.number() != null) {
                state.requireNumber(storm.number());
            }
            state.faults().storms().start(storm);
        }, "storms");
    }

    void putWebhooks(RoutingContext ctx) {
        apply(ctx, body -> state.webhooks().settings(WebhookSettings.fromJson(body)), "webhooks");
    }

    void putPolicy(RoutingContext ctx) {
        apply(ctx, body -> state.conversations().configure(body), "policy");
    }

    /**
     * {@code {"number": "<id>", "from": "<phone digits or BSUID>", "text": "STOP"}}: a customer writes to a number
     * (a BSUID the sandbox never issued is a user who hides their phone).
     */
    void inbound(RoutingContext ctx) {
        JsonNode body = readBody(ctx);
        if (body == null || !body.hasNonNull("number") || !body.hasNonNull("from")) {
            Responses.adminError(ctx, 400, "body must be {\"number\": \"<id>\", \"from\": \"<digits or BSUID>\","
                    + " \"text\": \"...\"}");
            return;
        }
        String number = body.get("number").asText();
        if (state.number(number).isEmpty()) {
            Responses.adminError(ctx, 404, "unknown number '" + number + "'");
            return;
        }
        String wamid = state.inbound(number, body.get("from").asText(), body.path("text").asText(""));
        Responses.json(ctx, 200, JsonNodeFactory.instance.objectNode().put("wamid", wamid));
    }

    /**
     * {@code {"number": "<id>", "per_second": n}}: from now on {@code n} customers a second write to the number,
     * evenly spaced, each as {@link #inbound} (0 stops the stream) → the running streams.
     */
    void inboundStream(RoutingContext ctx) {
        JsonNode body = readBody(ctx);
        if (body == null || !body.hasNonNull("number") || !body.path("per_second").canConvertToInt()
                || !body.path("per_second").isIntegralNumber()) {
            Responses.adminError(ctx, 400, "body must be {\"number\": \"<id>\", \"per_second\": <integer, 0 stops>}");
            return;
        }
        String number = body.get("number").asText();
        if (state.number(number).isEmpty()) {
            Responses.adminError(ctx, 404, "unknown number '" + number + "'");
            return;
        }
        try {
            state.inboundStreams().set(number, body.get("per_second").asInt());
        } catch (IllegalArgumentException e) {
            Responses.adminError(ctx, 400, e.getMessage());
            return;
        }
        Responses.json(ctx, 200, JsonNodeFactory.instance.objectNode().set("inbound_streams",
                state.inboundStreams().toJson()));
    }

    /** {@code {"<waba-id>": [templates...] | null}} for every account of the configured numbers. */
    void allTemplates(RoutingContext ctx) {
        com.fasterxml.jackson.databind.node.ObjectNode all = JsonNodeFactory.instance.objectNode();
        state.numbers().stream().map(NumberState::wabaId).distinct().forEach(waba -> all.set(waba,
                state.catalogues().of(waba).<JsonNode>map(TemplateCatalogue::toJson)
                        .orElse(JsonNodeFactory.instance.nullNode())));
        Responses.json(ctx, 200, all);
    }

    /** The account's catalogue as a JSON array; 404 for an unknown account or one without a catalogue. */
    void templates(RoutingContext ctx) {
        String waba = ctx.pathParam("waba");
        if (!state.hasWaba(waba)) {
            Responses.adminError(ctx, 404, "unknown WhatsApp Business Account '" + waba + "'");
            return;
        }
        state.catalogues().of(waba).ifPresentOrElse(c -> Responses.json(ctx, 200, c.toJson()),
                () -> Responses.adminError(ctx, 404, "WhatsApp Business Account '" + waba + "' has no template"
                        + " catalogue: its templates are sent unchecked"));
    }

    /** Body: a JSON array of templates in Meta's shape (or JSON null, which removes the catalogue). */
    void putTemplates(RoutingContext ctx) {
        String waba = ctx.pathParam("waba");
        if (!state.hasWaba(waba)) {
            Responses.adminError(ctx, 404, "unknown WhatsApp Business Account '" + waba + "'");
            return;
        }
        var buffer = ctx.body().buffer();
        if (buffer == null || buffer.length() == 0) {
            Responses.adminError(ctx, 400, "a JSON array of templates (or null) is required");
            return;
        }
        JsonNode body = readBody(ctx);
        if (body == null) {
            Responses.adminError(ctx, 400, "body is not JSON");
            return;
        }
        try {
            TemplateCatalogue catalogue = body.isNull() ? null : TemplateCatalogue.fromJson(body);
            state.catalogues().set(waba, catalogue);
            Responses.json(ctx, 200, catalogue == null ? JsonNodeFactory.instance.nullNode() : catalogue.toJson());
        } catch (IllegalArgumentException e) {
            Responses.adminError(ctx, 400, e.getMessage());
        }
    }

    void deleteTemplates(RoutingContext ctx) {
        String waba = ctx.pathParam("waba");
        if (!state.hasWaba(waba)) {
            Responses.adminError(ctx, 404, "unknown WhatsApp Business Account '" + waba + "'");
            return;
        }
        state.catalogues().set(waba, null);
        Responses.json(ctx, 200, JsonNodeFactory.instance.nullNode());
    }

    /**
     * {@code {"field": ..., "number" | "waba_id": ..., ...parameters}} (or {@code "value"}: posted as is): the sandbox
     * acts on the event, posts it signed, and answers with the receiver's status (SANDBOX.md, Platform events).
     */
    void postEvent(RoutingContext ctx) {
        JsonNode body = readBody(ctx);
        PlatformEvents.Prepared prepared;
        try {
            prepared = events.prepare(body);
        } catch (IllegalArgumentException e) {
            Responses.adminError(ctx, 400, e.getMessage());
            return;
        }
        events.post(prepared).onComplete(ar -> {
            if (ar.succeeded()) {
                Responses.json(ctx, 200, ar.result());
            } else {
                Responses.adminError(ctx, 500, "could not post the event: " + ar.cause());
            }
        });
    }

    /**
     * {@code {"number": "<id>", "user": "<phone or BSUID>", "window": 259200000}}: the user wrote through a free entry
     * point; their customer service window opens and the number's messages to them are free for {@code window}
     * (default 72 h).
     */
    void entryPoint(RoutingContext ctx) {
        JsonNode body = readBody(ctx);
        if (body == null || !body.hasNonNull("number") || !body.hasNonNull("user")) {
            Responses.adminError(ctx, 400, "body must be {\"number\": \"<id>\", \"user\": \"<phone or BSUID>\","
                    + " \"window\": <ms or ISO-8601, default PT72H>}");
            return;
        }
        try {
            java.time.Duration window = body.has("window") ? SettingsJson.duration(body.get("window"), "window")
                    : ENTRY_POINT_WINDOW;
            String person = state.entryPoint(body.get("number").asText(), body.get("user").asText(), window);
            Responses.json(ctx, 200, JsonNodeFactory.instance.objectNode().put("person", person)
                    .put("window_ms", window.toMillis()));
        } catch (IllegalArgumentException e) {
            Responses.adminError(ctx, 400, e.getMessage());
        }
    }

    void webhooks(RoutingContext ctx) {
        Responses.json(ctx, 200, state.webhooks().toJson());
    }

    void deleteStorm(RoutingContext ctx) {
        state.faults().storms().stopAll();
        Responses.json(ctx, 200, state.settingsJson().get("storms"));
    }

    /** Parses the body, applies it, and answers the changed section of the settings (400 on a bad body). */
    private void apply(RoutingContext ctx, Consumer<JsonNode> change, String section) {
        JsonNode body;
        try {
            var buffer = ctx.body().buffer();
            if (buffer == null || buffer.length() == 0) {
                Responses.adminError(ctx, 400, "a JSON body is required (see SANDBOX.md)");
                return;
            }
            body = MAPPER.readTree(buffer.getBytes());
        } catch (IOException e) {
            Responses.adminError(ctx, 400, "body is not JSON: " + e.getMessage());
            return;
        }
        try {
            change.accept(body);
        } catch (IllegalArgumentException e) {
            Responses.adminError(ctx, 400, e.getMessage());
            return;
        }
        Responses.json(ctx, 200, state.settingsJson().get(section));
    }

    /** The request's JSON body, or null when it is absent or not JSON. */
    private static JsonNode readBody(RoutingContext ctx) {
        try {
            var buffer = ctx.body().buffer();
            return buffer == null || buffer.length() == 0 ? null : MAPPER.readTree(buffer.getBytes());
        } catch (IOException e) {
            return null;
        }
    }
}
