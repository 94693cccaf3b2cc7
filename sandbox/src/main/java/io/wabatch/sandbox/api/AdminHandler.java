package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;

/** The unauthenticated {@code /_sandbox/*} endpoints: what the sandbox saw, reset, and runtime pace. */
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

    private static JsonNode readMps(RoutingContext ctx) {
        try {
            var buffer = ctx.body().buffer();
            return buffer == null ? null : MAPPER.readTree(buffer.getBytes()).get("mps");
        } catch (IOException e) {
            return null;
        }
    }
}
