package io.wabatch.common.config;

import io.wabatch.common.kafka.TopicNames;
import java.util.function.Function;

/** A topic-name key of the configuration ({@code topic.jobs}, ...): a service declares those of the topics it uses. */
public enum TopicKey {
    JOBS("topic.jobs", TopicNames::jobs, "Campaign jobs topic."),
    READY("topic.ready", TopicNames::ready,
            "Ready jobs topic (media ids in place, one recipient each), partitioned by channel."),
    DEFERRED("topic.deferred", TopicNames::deferred,
            "Base name of the deferred jobs topics (long waits), one per defer tier: `<base>.<delay>`, e.g. "
                    + "wa.jobs.deferred.1m; partitioned by channel."),
    RESULTS("topic.results", TopicNames::results,
            "Results topic: one final outcome per message, partitioned by channel."),
    DLQ("topic.dlq", TopicNames::dlq,
            "Dead-letter topic: records that could not be processed, with the reason in headers."),
    STATUS("topic.status", TopicNames::status, "Status webhooks topic (key: the message's wamid)."),
    INBOUND("topic.inbound", TopicNames::inbound, "Inbound (customer) messages topic (key: the customer's number)."),
    MEDIA_CACHE("topic.media.cache", TopicNames::mediaCache, "Compacted media-id cache topic."),
    CONTROL("topic.control", TopicNames::control, "Compacted control topic (channel and campaign commands)."),
    LEDGER("topic.ledger", TopicNames::ledger,
            "Send ledger topic: each API call's attempt and outcome, partitioned by channel."),
    FUNNEL("topic.funnel", TopicNames::funnel,
            "Compacted campaign funnel topic: the funnel aggregator's latest counts per campaign, read by "
                    + "'wabatch campaign status'."),
    OPTOUTS("topic.optouts", TopicNames::optOuts,
            "Compacted opt-out topic (key: the customer's number): who replied STOP or produced 131050, written by "
                    + "the funnel aggregator, followed by every sender."),
    TEMPLATES("topic.templates", TopicNames::templates,
            "Compacted template catalogue topic (key: <waba_id>/<name>/<language>, and <waba_id> for the record "
                    + "of an account's last complete listing): each business account's templates as the API lists "
                    + "them, written by the template sync, followed by every upload worker."),
    IDENTITIES("topic.identities", TopicNames::identities,
            "Compacted identity topic (key: a business-scoped user ID): the phone number of the person behind it, "
                    + "learned from webhooks that carry both, written by the funnel aggregator, followed by every "
                    + "sender so that an opt-out given under one applies to the other."),
    PORTFOLIO_CLAIMS("topic.portfolio.claims", TopicNames::portfolioClaims,
            "Portfolio claims log (key: the business portfolio): each budgeted message's claim on its portfolio's "
                    + "tier and per-user marketing cap, and each acceptance; every sender writes and follows it and "
                    + "decides each claim in the log's order, so numbers of one portfolio share its limits across "
                    + "senders. Read one window back at start: its retention must exceed the longest budget window."),
    PLATFORM_EVENTS("topic.platform.events", TopicNames::platformEvents,
            "Platform events topic (key: the WhatsApp Business Account id, so one account's events keep their "
                    + "order): webhook fields other than messages (user preferences, template status, category and "
                    + "quality, number quality and throughput, capability, account updates), written by the webhook "
                    + "receiver."),
    UNPARSED_WEBHOOKS("topic.webhooks.unparsed", TopicNames::unparsedWebhooks,
            "Unparsed webhooks topic: the raw bytes of every correctly signed webhook body the receiver could not "
                    + "read (not JSON, or a shape it does not know), with the reason in headers; the receiver still "
                    + "answers 200, so the provider does not resend it for days.");

    private final String key;
    private final Function<TopicNames, String> name;
    private final String doc;

    TopicKey(String key, Function<TopicNames, String> name, String doc) {
        this.key = key;
        this.name = name;
        this.doc = doc;
    }

    public String key() {
        return key;
    }

    /** This topic's name in {@code names}. */
    public String of(TopicNames names) {
        return name.apply(names);
    }

    String doc() {
        return doc;
    }
}
