package io.wabatch.sandbox.api;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.wabatch.sandbox.api.rules.ApiError;
import io.wabatch.sandbox.api.rules.ApiException;
import io.wabatch.sandbox.api.rules.MediaKind;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes of both providers on one port, the admin endpoints, request logging (DEBUG, never
 * headers) and the failure handler that turns {@link ApiException}s into Meta-shaped answers.
 */
final class ApiRouter {

    private static final Logger LOG = LoggerFactory.getLogger(ApiRouter.class);
    private static final String VERSION = "/(?<version>v\\d+\\.\\d+)";
    /** The largest upload (a 100 MB document) plus room for the multipart envelope. */
    private static final long UPLOAD_BODY_LIMIT = MediaKind.DOCUMENT.maxBytes() + (1L << 20);
    private static final long JSON_BODY_LIMIT = 1L << 20;

    private ApiRouter() {
    }

    /** A router over {@code state}; one per server instance, the state is shared. */
    static Router create(Vertx vertx, SandboxState state, Path uploadDir) {
        Router router = Router.router(vertx);
        Authenticator auth = new Authenticator(state);
        MessageHandler messages = new MessageHandler(state);
        MediaHandler media = new MediaHandler(state);
        TemplateListHandler templates = new TemplateListHandler(state);
        BodyHandler json = BodyHandler.create(false).setBodyLimit(JSON_BODY_LIMIT);
        BodyHandler upload = BodyHandler.create(uploadDir.toString()).setBodyLimit(UPLOAD_BODY_LIMIT)
                .setDeleteUploadedFilesOnEnd(true).setMergeFormAttributes(false);

        router.route().handler(ApiRouter::logRequest);
        addAdmin(router, new AdminHandler(state), json);

        String number = VERSION + "/(?<phone>[^/]+)";
        String mediaId = VERSION + "/(?<mediaId>[^/]+)";
        AnswerDelay delay = state.answerDelay();
        router.routeWithRegex(HttpMethod.POST, number + "/(messages|marketing_messages|media)").handler(delay::pick);
        router.routeWithRegex(HttpMethod.POST, "/(messages|marketing_messages|media)").handler(delay::pick);
        add(router, HttpMethod.POST, number + "/messages", auth::metaNumber, json, messages::send);
        add(router, HttpMethod.POST, number + "/marketing_messages", auth::metaNumber, json, messages::sendMarketing);
        add(router, HttpMethod.POST, number + "/media", auth::metaNumber, upload, media::upload);
        add(router, HttpMethod.GET, VERSION + "/(?<waba>[^/]+)/message_templates", auth::metaWaba, null,
                templates::meta);
        add(router, HttpMethod.GET, mediaId, auth::metaToken, null, media::info);
        add(router, HttpMethod.DELETE, mediaId, auth::metaToken, null, media::delete);

        add(router, HttpMethod.POST, "/messages", auth::d360, json, messages::send);
        add(router, HttpMethod.POST, "/marketing_messages", auth::d360, json, messages::sendMarketing);
        add(router, HttpMethod.POST, "/media", auth::d360, upload, media::upload);
        add(router, HttpMethod.GET, "/v1/configs/templates", auth::d360, null, templates::d360);
        add(router, HttpMethod.GET, "/(?<mediaId>[^/_][^/]*)", auth::d360, null, media::info);
        add(router, HttpMethod.DELETE, "/(?<mediaId>[^/_][^/]*)", auth::d360, null, media::delete);

        router.route().last().handler(ctx -> Responses.error(ctx, ApiError.of(400, 100,
                "Unknown path components: " + ctx.request().path(), "See SANDBOX.md for the served paths.")));
        router.route().failureHandler(ApiRouter::fail);
        return router;
    }

    /**
     * Authentication runs on its own route before the body handler's route, so a request with a bad
     * credential is answered before a (possibly 100 MB) body is read. Vert.x requires body handlers
     * to precede user handlers within one route.
     */
    private static void add(Router router, HttpMethod method, String regex, Handler<RoutingContext> auth,
            BodyHandler body, Handler<RoutingContext> handler) {
        router.routeWithRegex(method, regex).handler(auth);
        Route route = router.routeWithRegex(method, regex);
        if (body != null) {
            route.handler(body);
        }
        route.handler(handler);
    }

    private static void addAdmin(Router router, AdminHandler admin, BodyHandler json) {
        router.get("/_sandbox/stats").handler(admin::stats);
        router.get("/_sandbox/messages").handler(admin::messages);
        router.get("/_sandbox/uploads").handler(admin::uploads);
        router.post("/_sandbox/reset").handler(admin::reset);
        router.put("/_sandbox/numbers/:id").handler(json).handler(admin::putNumber);
        router.get("/_sandbox/settings").handler(admin::settings);
        router.put("/_sandbox/pair_limit").handler(json).handler(admin::putPairLimit);
        router.put("/_sandbox/latency").handler(json).handler(admin::putLatency);
        router.put("/_sandbox/faults").handler(json).handler(admin::putFaults);
        router.post("/_sandbox/storm").handler(json).handler(admin::postStorm);
        router.delete("/_sandbox/storm").handler(admin::deleteStorm);
        router.get("/_sandbox/webhooks").handler(admin::webhooks);
        router.put("/_sandbox/webhooks").handler(json).handler(admin::putWebhooks);
        router.put("/_sandbox/policy").handler(json).handler(admin::putPolicy);
        router.post("/_sandbox/inbound").handler(json).handler(admin::inbound);
        router.post("/_sandbox/inbound_stream").handler(json).handler(admin::inboundStream);
        router.post("/_sandbox/events").handler(json).handler(admin::postEvent);
        router.post("/_sandbox/entry_points").handler(json).handler(admin::entryPoint);
        router.get("/_sandbox/templates").handler(admin::allTemplates);
        router.get("/_sandbox/templates/:waba").handler(admin::templates);
        router.put("/_sandbox/templates/:waba").handler(json).handler(admin::putTemplates);
        router.delete("/_sandbox/templates/:waba").handler(admin::deleteTemplates);
    }

    private static void logRequest(RoutingContext ctx) {
        if (LOG.isDebugEnabled()) {
            long start = System.nanoTime();
            ctx.addBodyEndHandler(v -> LOG.debug("{} {} -> {} in {} ms", ctx.request().method(),
                    ctx.request().path(), ctx.response().getStatusCode(), (System.nanoTime() - start) / 1_000_000));
        }
        ctx.next();
    }

    private static void fail(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof ApiException api) {
            Responses.error(ctx, api.error());
        } else if (ctx.statusCode() == 413) {
            Responses.error(ctx, ApiError.invalidParameter("The request body is too large: uploads may have "
                    + UPLOAD_BODY_LIMIT + " bytes (a " + MediaKind.DOCUMENT.readableLimit() + " document plus"
                    + " the multipart envelope), JSON bodies " + JSON_BODY_LIMIT + " bytes."));
        } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            Responses.error(ctx, ApiError.invalidParameter("The request could not be read (HTTP "
                    + ctx.statusCode() + ")."));
        } else {
            LOG.error("Unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
            Responses.error(ctx, ApiError.of(500, 131000, "Something went wrong",
                    "The sandbox failed unexpectedly; see its log."));
        }
    }
}
