package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The unauthenticated {@code /_sandbox/*} endpoints: what the sandbox saw, reset, and the runtime
 * settings (pace, pair limit, latency, faults, storms).
 */
final class AdminHandler {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final SandboxState state;

    AdminHandler(SandboxState state) {
        this.state = state;
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

    void putNumber(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        NumberState number = state.number(id).orElse(null);
        if (number == null) {
            Responses.adminError(ctx, 404, "unknown number '" + id + "'");
            return;
        }
        JsonNode mps = readMps(ctx);
        if (mps == null || !mps.canConvertToInt() || !mps.isIntegralNumber() || mps.asInt() < 1) {
            Responses.adminError(ctx, 400, "body must be {\"mps\": <integer >= 1>}");
            return;
        }
        number.limiter().setMps(mps.asInt());
        Responses.json(ctx, 200, JsonNodeFactory.instance.objectNode().put("id", id).put("mps", mps.asInt()));
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

    /** {@code {"number": "<id>", "from": "<digits>", "text": "STOP"}}: a customer writes to a number. */
    void inbound(RoutingContext ctx) {
        JsonNode body;
        try {
            var buffer = ctx.body().buffer();
            body = buffer == null ? null : MAPPER.readTree(buffer.getBytes());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.hasNonNull("number") || !body.hasNonNull("from")) {
            Responses.adminError(ctx, 400, "body must be {\"number\": \"<id>\", \"from\": \"<digits>\", \"text\": \"...\"}");
            return;
        }
        String number = body.get("number").asText();
        if (state.number(number).isEmpty()) {
            Responses.adminError(ctx, 404, "unknown number '" + number + "'");
            return;
        }
        String from = body.get("from").asText().replaceAll("\\D", "");
        String wamid = "wamid.inbound." + java.util.UUID.randomUUID();
        state.conversations().inbound(number, from, System.currentTimeMillis());
        state.webhooks().inbound(number, from, body.path("text").asText(""), wamid);
        Responses.json(ctx, 200, JsonNodeFactory.instance.objectNode().put("wamid", wamid));
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

    private static JsonNode readMps(RoutingContext ctx) {
        try {
            var buffer = ctx.body().buffer();
            return buffer == null ? null : MAPPER.readTree(buffer.getBytes()).get("mps");
        } catch (IOException e) {
            return null;
        }
    }
}
