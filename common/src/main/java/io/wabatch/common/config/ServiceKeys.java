package io.wabatch.common.config;

import java.util.Set;
import java.util.TreeSet;

/**
 * Every configuration key some wabatch service defines. A service's own jar knows only its own
 * definition, yet must tell a variable meant for another service (skipped: compose gives services
 * one environment) from a misspelt one (refused). ops' {@code ServiceKeysTest} checks that this set
 * is exactly the union of the services' definitions, so it cannot drift.
 */
public final class ServiceKeys {

    /** The union of the upload worker's, the sender's, the webhook receiver's and the funnel's keys. */
    public static final Set<String> ALL = Set.copyOf(new TreeSet<>(Set.of(
            // every service
            "bootstrap.servers", "topics.check", "ops.host", "ops.port", "group.id",
            "topic.jobs", "topic.ready", "topic.deferred", "defer.tiers", "topic.results", "topic.dlq",
            "topic.status", "topic.inbound", "topic.media.cache", "topic.control", "topic.ledger", "topic.funnel",
            "topic.optouts", "topic.templates", "topic.identities", "topic.portfolio.claims", "topic.platform.events",
            "topic.webhooks.unparsed",
            // the loop workers (upload, sender)
            "channels.file", "window.records", "commit.interval.ms", "shutdown.drain.timeout.ms",
            "http.max.connections", "http.max.wait.queue", "http.connect.timeout.ms", "http.request.timeout.ms",
            "transactional.id", "max.poll.records",
            // upload worker
            "media.allow", "media.max.redirects", "media.download.timeout.ms", "media.upload.timeout.ms",
            "media.cache.max.entries", "spool.dir", "spool.max.bytes", "media.read.timeout.ms",
            "media.min.throughput.bytes.per.second", "media.throughput.window.ms", "media.fetch.max.attempts",
            "media.fetch.retry.initial.ms", "media.id.lifetime.ms", "media.id.margin.ms",
            "media.cache.restore.timeout.ms", "templates.accounts", "templates.sync.interval.ms",
            "templates.refresh.min.interval.ms", "templates.stale.after.ms", "templates.restore.timeout.ms",
            // sender
            "send.max.attempts", "send.retry.initial.ms", "send.retry.max.ms", "pair.window.ms", "pair.burst",
            "pair.backoff.base.ms", "pace.decrease", "pace.holdoff.ms", "pace.recovery.interval.ms",
            "pace.recovery.step", "pace.floor", "pace.inbound.window.ms", "send.in.doubt", "channel.waba.pause.ms", "ledger.enabled",
            "ledger.horizon.ms", "send.marketing.messages.retry.ms", "channel.probe.interval.ms", "policy.optouts.enforce", "policy.window.enforce",
            "policy.window.ms", "policy.tier.window.ms", "policy.marketing.cap.window.ms", "policy.claim.timeout.ms",
            // webhook receiver
            "webhook.host", "webhook.port", "webhook.path", "webhook.verify.token", "webhook.app.secret",
            "webhook.shared.header", "webhook.shared.secret", "webhook.max.body.bytes", "webhook.ack.timeout.ms",
            // campaign funnel
            "funnel.state.dir", "funnel.autopause.failure.ratio", "funnel.autopause.min.finished",
            "funnel.commit.interval.ms", "funnel.engagement.delay.ms", "funnel.optout.keywords",
            "funnel.optin.keywords", "funnel.rate.card")));

    /**
     * {@code WABATCH_} variables that are not settings of a service and are never refused: compose's
     * own ({@code WABATCH_IMAGE}, {@code WABATCH_TAG}, {@code WABATCH_CHANNELS}) and the test suite's ({@code WABATCH_REQUIRE_TOOLS}).
     */
    public static final Set<String> OTHER_VARIABLES = Set.of("WABATCH_IMAGE", "WABATCH_TAG", "WABATCH_CHANNELS",
            "WABATCH_REQUIRE_TOOLS");

    private ServiceKeys() {
    }
}
