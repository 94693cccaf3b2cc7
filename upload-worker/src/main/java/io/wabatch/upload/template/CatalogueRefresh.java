package io.wabatch.upload.template;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.wabatch.common.api.WhatsAppClient;
import io.wabatch.common.channel.Channel;
import io.wabatch.common.template.TemplateSync;
import io.wabatch.common.template.TemplateSyncException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists accounts' templates into the catalogue: the scheduled accounts at start and every
 * {@link TemplateTimes#syncInterval()}, any account on demand ({@link #refresh}, the hook for
 * template webhooks) and, for a job that failed its check, at most every
 * {@link TemplateTimes#refreshMinInterval()} ({@link #refreshIfDue}). One listing per account at a
 * time: a second request joins the one under way. Each account is listed with the credential of its
 * first channel (by id) in the registry. Thread-safe; listings run on the worker's context.
 */
public final class CatalogueRefresh implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogueRefresh.class);

    private final Vertx vertx;
    private final Context context;
    private final TemplateSync sync;
    private final Map<String, Channel> channelByAccount;
    private final Function<String, WhatsAppClient> clients;
    private final TemplateTimes times;
    private final Clock clock;
    private final Consumer<Boolean> outcome;
    private final Map<String, Future<TemplateSync.Result>> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastAttempt = new ConcurrentHashMap<>();
    private volatile long timer = -1;

    /**
     * @param channels every channel of the registry; those with a {@code waba_id} make its account listable
     * @param clients  the API client of a channel id
     * @param outcome  told true for every listing that completed, false for every one that failed
     */
    public CatalogueRefresh(Vertx vertx, Context context, TemplateSync sync, Collection<Channel> channels,
                            Function<String, WhatsAppClient> clients, TemplateTimes times, Clock clock,
                            Consumer<Boolean> outcome) {
        this.vertx = vertx;
        this.context = context;
        this.sync = sync;
        this.channelByAccount = firstChannels(channels);
        this.clients = clients;
        this.times = times;
        this.clock = clock;
        this.outcome = outcome;
    }

    /** The accounts that have a channel in the registry, so can be listed. */
    public Set<String> listable() {
        return channelByAccount.keySet();
    }

    /** Lists {@code accounts} now and every sync interval from now on. */
    public void schedule(List<String> accounts) {
        if (accounts.isEmpty()) {
            return;
        }
        context.runOnContext(v -> {
            accounts.forEach(this::refresh);
            timer = vertx.setPeriodic(times.syncInterval().toMillis(), id -> accounts.forEach(this::refresh));
        });
    }

    /**
     * Lists the account again now, or joins the listing under way. The hook for template webhooks
     * ({@code message_template_status_update}, issue 19): a status change reaches the catalogue with one
     * call. Fails with a {@link TemplateSyncException} when the listing did not complete or the account
     * has no channel in the registry.
     */
    public Future<TemplateSync.Result> refresh(String wabaId) {
        Channel channel = channelByAccount.get(wabaId);
        if (channel == null) {
            return Future.failedFuture(new TemplateSyncException("account " + wabaId + " has no channel in the "
                    + "registry to list its templates with"));
        }
        Promise<TemplateSync.Result> promise = Promise.promise();
        Future<TemplateSync.Result> running = inFlight.putIfAbsent(wabaId, promise.future());
        if (running != null) {
            return running;
        }
        lastAttempt.put(wabaId, clock.instant());
        context.runOnContext(v -> list(wabaId, channel).onComplete(ar -> {
            inFlight.remove(wabaId, promise.future());
            log(wabaId, channel, ar.succeeded() ? ar.result() : null, ar.cause());
            outcome.accept(ar.succeeded());
            promise.handle(ar);
        }));
        return promise.future();
    }

    private Future<TemplateSync.Result> list(String wabaId, Channel channel) {
        try {
            return sync.sync(wabaId, channel.id(), clients.apply(channel.id()));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /**
     * Lists the account again unless its last listing started less than the minimum interval ago.
     *
     * @return true when a listing completed (this one, or one under way that it joined)
     */
    public Future<Boolean> refreshIfDue(String wabaId) {
        if (!inFlight.containsKey(wabaId)) {
            Instant last = lastAttempt.get(wabaId);
            if (last != null && clock.instant().isBefore(last.plus(times.refreshMinInterval()))) {
                return Future.succeededFuture(false);
            }
        }
        return refresh(wabaId).map(result -> true).otherwise(false);
    }

    private static void log(String wabaId, Channel channel, TemplateSync.Result result, Throwable error) {
        if (result != null) {
            LOG.info("templates of account {} listed with channel {}: {} templates, {} written, {} removed{}", wabaId,
                    channel.id(), result.templates(), result.changed(), result.removed(),
                    result.skipped() > 0 ? ", " + result.skipped() + " without name or language ignored" : "");
        } else if (error instanceof TemplateSyncException) {
            LOG.warn("templates of account {} not listed: {}", wabaId, error.getMessage());
        } else {
            LOG.error("templates of account {} not listed", wabaId, error);
        }
    }

    private static Map<String, Channel> firstChannels(Collection<Channel> channels) {
        Map<String, Channel> first = new TreeMap<>();
        channels.stream().filter(c -> c.wabaId() != null).sorted(Comparator.comparing(Channel::id))
                .forEach(c -> first.putIfAbsent(c.wabaId(), c));
        return Map.copyOf(first);
    }

    @Override
    public void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
