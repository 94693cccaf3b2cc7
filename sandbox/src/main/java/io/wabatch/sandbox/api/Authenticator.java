package io.wabatch.sandbox.api;

import io.vertx.ext.web.RoutingContext;
import io.wabatch.sandbox.api.rules.ApiError;
import io.wabatch.sandbox.api.rules.ApiException;
import java.util.List;

/**
 * Both providers' authentication. 360dialog: {@code D360-API-KEY} names the number. Meta: the
 * bearer token must be known (else 401/190) and, on {@code /{phone-number-id}/...} paths, be a
 * token of that number (else 400/100 subcode 33, as Graph answers for an object the caller may not use).
 */
final class Authenticator {

    private final SandboxState state;

    Authenticator(SandboxState state) {
        this.state = state;
    }

    /** 360dialog: resolves the number from the API key or answers 401. */
    void d360(RoutingContext ctx) {
        NumberState number = state.byApiKey(ctx.request().getHeader("D360-API-KEY")).orElse(null);
        if (number == null) {
            Responses.d360Unauthorized(ctx);
            return;
        }
        ctx.put(Responses.NUMBER, number);
        ctx.put(Responses.NUMBERS, List.of(number));
        ctx.next();
    }

    /** Meta, path with {@code phone}: the token must belong to that number. */
    void metaNumber(RoutingContext ctx) {
        String phone = ctx.pathParam("phone");
        state.number(phone).ifPresent(n -> ctx.put(Responses.NUMBER, n));
        List<NumberState> allowed = state.byToken(bearer(ctx));
        if (allowed.isEmpty()) {
            throw new ApiException(ApiError.invalidToken());
        }
        NumberState number = allowed.stream().filter(n -> n.id().equals(phone)).findFirst()
                .orElseThrow(() -> new ApiException(ApiError.unsupportedRequest("post", phone)));
        ctx.put(Responses.NUMBERS, List.of(number));
        ctx.next();
    }

    /**
     * Meta, path with {@code waba} ({@code /{waba-id}/message_templates}): the token must belong to a number of
     * that WhatsApp Business Account (else 400/100 subcode 33, as for a number the token may not use).
     */
    void metaWaba(RoutingContext ctx) {
        String waba = ctx.pathParam("waba");
        List<NumberState> allowed = state.byToken(bearer(ctx));
        if (allowed.isEmpty()) {
            throw new ApiException(ApiError.invalidToken());
        }
        if (allowed.stream().noneMatch(n -> n.wabaId().equals(waba))) {
            throw new ApiException(ApiError.unsupportedRequest("get", waba));
        }
        ctx.put(Responses.NUMBERS, allowed);
        ctx.next();
    }

    /** Meta, media paths without a number: any known token; media must belong to one of its numbers. */
    void metaToken(RoutingContext ctx) {
        List<NumberState> allowed = state.byToken(bearer(ctx));
        if (allowed.isEmpty()) {
            throw new ApiException(ApiError.invalidToken());
        }
        if (allowed.size() == 1) {
            ctx.put(Responses.NUMBER, allowed.get(0));
        }
        ctx.put(Responses.NUMBERS, allowed);
        ctx.next();
    }

    private static String bearer(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        String scheme = "bearer ";
        if (header == null || !header.regionMatches(true, 0, scheme, 0, scheme.length())) {
            return null;
        }
        return header.substring(scheme.length()).trim();
    }
}
