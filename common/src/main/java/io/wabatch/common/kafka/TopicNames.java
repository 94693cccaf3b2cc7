package io.wabatch.common.kafka;

import java.util.List;

/**
 * The names of wabatch's topics (DESIGN §1). Defaults are {@code wa.*}; each is configurable
 * ({@code topic.jobs}, {@code topic.ready}, ...). {@code deferred} names a family: one topic per
 * {@linkplain DeferTiers defer tier}, {@code <deferred>.<delay>}.
 */
public record TopicNames(String jobs, String ready, String deferred, String results, String dlq,
                         String status, String inbound, String mediaCache, String control, String ledger,
                         String funnel, String optOuts, String templates, String identities,
                         String portfolioClaims, String platformEvents, String unparsedWebhooks,
                         DeferTiers deferTiers) {

    /**
     * {@code max.message.bytes} of the jobs topic: the broker refuses larger campaign jobs at the
     * door. The upload worker's own cap ({@link io.wabatch.common.contract.CampaignJob#MAX_BYTES})
     * is below it, so a job between the two is read and dead-lettered whole with a reason.
     */
    public static final int JOBS_MAX_MESSAGE_BYTES = 1 << 20;
    /** Room for a dead letter's headers (reason, source coordinates) on top of the record it carries. */
    public static final int DLQ_HEADER_ROOM = 64 << 10;
    /** {@code max.message.bytes} of the dead-letter topic: any jobs record plus its error headers fits. */
    public static final int DLQ_MAX_MESSAGE_BYTES = JOBS_MAX_MESSAGE_BYTES + DLQ_HEADER_ROOM;

    public TopicNames {
        java.util.Objects.requireNonNull(deferTiers, "deferTiers");
    }

    /** The documented defaults. */
    public static TopicNames defaults() {
        return new TopicNames("wa.jobs", "wa.jobs.ready", "wa.jobs.deferred", "wa.results", "wa.dlq",
                "wa.status", "wa.inbound", "wa.media-cache", "wa.control", "wa.send-ledger", "wa.funnel",
                "wa.optouts", "wa.templates", "wa.identities", "wa.portfolio.claims", "wa.platform.events",
                "wa.webhooks.unparsed", DeferTiers.DEFAULT);
    }

    /** The defaults with {@code wa} replaced by {@code prefix}, e.g. for a test's own topics. */
    public static TopicNames withPrefix(String prefix) {
        return new TopicNames(prefix + ".jobs", prefix + ".jobs.ready", prefix + ".jobs.deferred", prefix + ".results",
                prefix + ".dlq", prefix + ".status", prefix + ".inbound", prefix + ".media-cache", prefix + ".control",
                prefix + ".send-ledger", prefix + ".funnel", prefix + ".optouts", prefix + ".templates",
                prefix + ".identities", prefix + ".portfolio.claims", prefix + ".platform.events",
                prefix + ".webhooks.unparsed", DeferTiers.DEFAULT);
    }

    /** These names with other defer tiers (tests scale them down). */
    public TopicNames withDeferTiers(DeferTiers tiers) {
        return new TopicNames(jobs, ready, deferred, results, dlq, status, inbound, mediaCache, control, ledger, funnel,
                optOuts, templates, identities, portfolioClaims, platformEvents, unparsedWebhooks, tiers);
    }

    /** The deferred tier topics, shortest delay first. */
    public List<String> deferredTopics() {
        return deferTiers.topics(deferred);
    }

    /** These names as worker configuration values ({@code topic.jobs=...}). */
    public java.util.Map<String, String> asConfig() {
        return java.util.Map.ofEntries(java.util.Map.entry("topic.jobs", jobs), java.util.Map.entry("topic.ready", ready),
                java.util.Map.entry("topic.deferred", deferred), java.util.Map.entry("topic.results", results),
                java.util.Map.entry("topic.dlq", dlq), java.util.Map.entry("topic.status", status),
                java.util.Map.entry("topic.inbound", inbound), java.util.Map.entry("topic.media.cache", mediaCache),
                java.util.Map.entry("topic.control", control), java.util.Map.entry("topic.ledger", ledger),
                java.util.Map.entry("topic.funnel", funnel), java.util.Map.entry("topic.optouts", optOuts),
                java.util.Map.entry("topic.templates", templates), java.util.Map.entry("topic.identities", identities),
                java.util.Map.entry("topic.portfolio.claims", portfolioClaims),
                java.util.Map.entry("topic.platform.events", platformEvents),
                java.util.Map.entry("topic.webhooks.unparsed", unparsedWebhooks),
                java.util.Map.entry("defer.tiers", deferTiers.labels()));
    }

    /** Every topic with the cleanup policy and partitioning it needs. */
    public List<TopicSpec> specs(int partitions) {
        List<TopicSpec> specs = new java.util.ArrayList<>(List.of(
                new TopicSpec(jobs, TopicSpec.Cleanup.DELETE, partitions, false, JOBS_MAX_MESSAGE_BYTES),
                new TopicSpec(ready, TopicSpec.Cleanup.DELETE, partitions, true),
                new TopicSpec(results, TopicSpec.Cleanup.DELETE, partitions, true),
                new TopicSpec(dlq, TopicSpec.Cleanup.DELETE, partitions, false, DLQ_MAX_MESSAGE_BYTES),
                new TopicSpec(status, TopicSpec.Cleanup.DELETE, partitions, false),
                new TopicSpec(inbound, TopicSpec.Cleanup.DELETE, partitions, false),
                new TopicSpec(mediaCache, TopicSpec.Cleanup.COMPACT, partitions, false),
                new TopicSpec(control, TopicSpec.Cleanup.COMPACT, 1, false),
                new TopicSpec(ledger, TopicSpec.Cleanup.DELETE, partitions, true),
                new TopicSpec(funnel, TopicSpec.Cleanup.COMPACT, partitions, false),
                new TopicSpec(optOuts, TopicSpec.Cleanup.COMPACT, 1, false),
                new TopicSpec(templates, TopicSpec.Cleanup.COMPACT, 1, false),
                new TopicSpec(identities, TopicSpec.Cleanup.COMPACT, 1, false),
                new TopicSpec(portfolioClaims, TopicSpec.Cleanup.DELETE, 1, false),
                new TopicSpec(platformEvents, TopicSpec.Cleanup.DELETE, partitions, false),
                new TopicSpec(unparsedWebhooks, TopicSpec.Cleanup.DELETE, 1, false, DLQ_MAX_MESSAGE_BYTES)));
        deferredTopics().forEach(tier -> specs.add(new TopicSpec(tier, TopicSpec.Cleanup.DELETE, partitions, true)));
        return List.copyOf(specs);
    }

    /** The spec of one topic by name. */
    public TopicSpec spec(String name, int partitions) {
        return specs(partitions).stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a wabatch topic: " + name));
    }
}
