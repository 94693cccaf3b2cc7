package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.wabatch.sandbox.api.rules.ApiError;

/** Writes JSON answers, and records every API error against the number the request was for. */
final class Responses {

    /** Context key of the {@link NumberState} a request is authenticated for (or addressed to). */
    static final String NUMBER = "wabatch.sandbox.number";
    /** Context key of the {@code List<NumberState>} a Meta token may act for. */
    static final String NUMBERS = "wabatch.sandbox.numbers";
    /** Context key of the answer delay in milliseconds picked by {@link AnswerDelay} (absent = none). */
    static final String DELAY_MS = "wabatch.sandbox.delayMs";
    private static final String ANSWERED = "wabatch.sandbox.answered";

    private Responses() {
    }

    /** Writes the answer once, after the request's picked delay if any (on a timer, never blocking). */
    static void json(RoutingContext ctx, int status, JsonNode body) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || ctx.get(ANSWERED) != null) {
            return;
        }
        ctx.put(ANSWERED, Boolean.TRUE);
        Long delay = ctx.get(DELAY_MS);
        if (delay == null || delay <= 0) {
            write(response, status, body.toString());
        } else {
            String text = body.toString();
            ctx.vertx().setTimer(delay, id -> write(response, status, text));
        }
    }

    private static void write(HttpServerResponse response, int status, String body) {
        if (!response.ended() && !response.closed()) {
            response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
        }
    }

    /** Answers {@code error} in Meta's shape and counts it for the request's number, if known. */
    static void error(RoutingContext ctx, ApiError error) {
        NumberState number = ctx.get(NUMBER);
        if (number != null) {
            number.stats().rejected(error.code());
        }
        json(ctx, error.httpStatus(), error.toJson());
    }

    /** 360dialog's gateway answer to a missing or unknown {@code D360-API-KEY}. */
    static void d360Unauthorized(RoutingContext ctx) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("meta").put("httpCode", 401)
                .put("developerMessage", "Invalid api_key or token expired").put("success", false);
        json(ctx, 401, body);
    }

    /** A sandbox-admin error: {@code {"error":"..."}}. */
    static void adminError(RoutingContext ctx, int status, String message) {
        json(ctx, status, JsonNodeFactory.instance.objectNode().put("error", message));
    }
}
