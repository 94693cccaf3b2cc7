package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;
import io.wabatch.sandbox.api.rules.ApiError;
import io.wabatch.sandbox.api.rules.ApiException;
import io.wabatch.sandbox.api.templates.Template;
import io.wabatch.sandbox.api.templates.TemplateCatalogue;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The template lists: Meta's {@code GET /{version}/{waba-id}/message_templates} ({@code data} and Graph's
 * cursor {@code paging}; {@code limit}, {@code after}, {@code before}, filters {@code name}, {@code status},
 * {@code category}, {@code language}) and 360dialog's {@code GET /v1/configs/templates} ({@code waba_templates}
 * with {@code count}, {@code total}, {@code limit}, {@code offset}), both served from the account's catalogue
 * (an account without one lists nothing).
 */
final class TemplateListHandler {

    /** Graph's default page size. */
    static final int META_DEFAULT_LIMIT = 25;
    /** 360dialog's default page size. */
    static final int D360_DEFAULT_LIMIT = 1000;

    private final SandboxState state;

    TemplateListHandler(SandboxState state) {
        this.state = state;
    }

    void meta(RoutingContext ctx) {
        String wabaId = ctx.pathParam("waba");
        List<Template> templates = filtered(ctx, wabaId);
        int limit = positive(ctx, "limit", META_DEFAULT_LIMIT);
        int from = 0;
        String after = ctx.request().getParam("after");
        String before = ctx.request().getParam("before");
        if (after != null) {
            from = cursor(after, "after") + 1;
        } else if (before != null) {
            from = Math.max(0, cursor(before, "before") - limit);
        }
        int to = Math.min(templates.size(), from + limit);
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode data = root.putArray("data");
        for (int i = from; i < to; i++) {
            data.add(templates.get(i).toJson());
        }
        if (from < to) {
            ObjectNode paging = root.putObject("paging");
            paging.putObject("cursors").put("before", cursor(from)).put("after", cursor(to - 1));
            if (to < templates.size()) {
                paging.put("next", state.baseUrl() + ctx.request().path() + "?limit=" + limit + "&after="
                        + URLEncoder.encode(cursor(to - 1), StandardCharsets.UTF_8));
            }
            if (from > 0) {
                paging.put("previous", state.baseUrl() + ctx.request().path() + "?limit=" + limit + "&before="
                        + URLEncoder.encode(cursor(from), StandardCharsets.UTF_8));
            }
        }
        Responses.json(ctx, 200, root);
    }

    void d360(RoutingContext ctx) {
        NumberState number = ctx.get(Responses.NUMBER);
        List<Template> templates = filtered(ctx, number.wabaId());
        int limit = positive(ctx, "limit", D360_DEFAULT_LIMIT);
        int offset = nonNegative(ctx, "offset");
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode page = JsonNodeFactory.instance.arrayNode();
        for (int i = offset; i < Math.min(templates.size(), offset + limit); i++) {
            ObjectNode template = templates.get(i).toJson();
            template.put("status", template.get("status").asText().toLowerCase(Locale.ROOT));
            template.put("namespace", "sandbox_" + number.wabaId());
            page.add(template);
        }
        root.put("count", page.size());
        root.putObject("filters");
        root.put("limit", limit);
        root.put("offset", offset);
        root.putArray("sort").add("id");
        root.put("total", templates.size());
        root.set("waba_templates", page);
        Responses.json(ctx, 200, root);
    }

    /** The account's templates passing the {@code name}, {@code status}, {@code category}, {@code language} filters. */
    private List<Template> filtered(RoutingContext ctx, String wabaId) {
        String name = ctx.request().getParam("name");
        String status = ctx.request().getParam("status");
        String category = ctx.request().getParam("category");
        String language = ctx.request().getParam("language");
        return state.catalogues().of(wabaId).map(TemplateCatalogue::templates).orElse(List.of()).stream()
                .filter(t -> name == null || t.name().equals(name))
                .filter(t -> status == null || t.status().equalsIgnoreCase(status))
                .filter(t -> category == null || t.category().equalsIgnoreCase(category))
                .filter(t -> language == null || t.language().equals(language))
                .toList();
    }

    private static String cursor(int index) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("sandbox:" + index)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static int cursor(String cursor, String name) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith("sandbox:")) {
                return Integer.parseInt(text.substring(8));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw new ApiException(ApiError.invalidParameter("The '" + name + "' cursor '" + cursor + "' is not one this"
                + " listing gave out."));
    }

    private static int positive(RoutingContext ctx, String name, int defaultValue) {
        String text = ctx.request().getParam(name);
        if (text == null) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new ApiException(ApiError.invalidParameter("Parameter '" + name + "' must be a positive integer, got '"
                + text + "'."));
    }

    private static int nonNegative(RoutingContext ctx, String name) {
        String text = ctx.request().getParam(name);
        if (text == null) {
            return 0;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new ApiException(ApiError.invalidParameter("Parameter '" + name + "' must be a non-negative integer,"
                + " got '" + text + "'."));
    }
}
