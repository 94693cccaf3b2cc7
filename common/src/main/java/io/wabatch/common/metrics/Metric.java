package io.wabatch.common.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.wabatch.common.api.ErrorAction;
import io.wabatch.common.contract.ChargeType;
import io.wabatch.common.contract.MediaType;
import io.wabatch.common.contract.MessageTypes;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.metrics.MetricTag.Source;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The catalogue of every wabatch meter: name, type, unit, description and tags with their bounded
 * values. Meters are registered only through it ({@link #counter}, {@link #timer}, {@link #gauge}),
 * so a meter's name, description and tag keys cannot drift from the docs; docs/operations.md's metric table
 * is rendered from it ({@link MetricDocs}) and {@link MetricCheck} compares a registry against it.
 * Tags never carry phone numbers, message, media or campaign ids, API keys or tokens.
 */
public enum Metric {

    SENDER_MESSAGES("wabatch.sender.messages", Kind.COUNTER, Unit.MESSAGES,
            "Messages by channel, message type and final outcome.",
            SharedTags.CHANNEL, SharedTags.MESSAGE_TYPE, SharedTags.OUTCOME),
    SENDER_MARKETING_MESSAGES("wabatch.sender.marketing.messages", Kind.COUNTER, Unit.MESSAGES,
            "Calls to the Marketing Messages API by channel and result: accepted, refused (another answer), "
                    + "fallback (the business has not accepted its terms: the message and the number's next "
                    + "marketing templates go by /messages until send.marketing.messages.retry.ms passes).",
            SharedTags.CHANNEL, MetricTag.closed("result", "accepted", "refused", "fallback")),
    SENDER_PACE_CONFIGURED("wabatch.sender.pace.configured", Kind.GAUGE, Unit.MESSAGES_PER_SECOND,
            "Configured pace (mps × headroom).", SharedTags.CHANNEL),
    SENDER_PACE_CURRENT("wabatch.sender.pace.current", Kind.GAUGE, Unit.MESSAGES_PER_SECOND,
            "Pace the channel runs at: the configured pace less its inbound rate, lowered after 130429 answers.",
            SharedTags.CHANNEL),
    SENDER_PACE_INBOUND("wabatch.sender.pace.inbound", Kind.GAUGE, Unit.MESSAGES_PER_SECOND,
            "Messages per second customers wrote to the channel's number over pace.inbound.window.ms (rounded up), "
                    + "taken off its pace: they count against the same limit.", SharedTags.CHANNEL),
    SENDER_TOKEN_WAIT("wabatch.sender.token.wait", Kind.TIMER, Unit.SECONDS,
            "Time a message waited for its channel's pace.", SharedTags.CHANNEL),
    SENDER_PAIR_WAITS("wabatch.sender.pair.waits", Kind.COUNTER, Unit.MESSAGES,
            "Messages that waited for their recipient's pair window (1 per 6 s) before sending.", SharedTags.CHANNEL),
    SENDER_IN_FLIGHT("wabatch.sender.in.flight", Kind.GAUGE, Unit.RECORDS,
            "Ready jobs started and not yet done (waiting to be due, for the pace, or for the API)."),
    SENDER_API_LATENCY("wabatch.sender.api.latency", Kind.HISTOGRAM, Unit.SECONDS,
            "Time of one /messages call (percentile histogram).", SharedTags.CHANNEL),
    SENDER_ERRORS("wabatch.sender.errors", Kind.COUNTER, Unit.ERRORS,
            "API errors by channel and error code.", SharedTags.CHANNEL, SharedTags.ERROR_CODE),
    SENDER_RETRIES("wabatch.sender.retries", Kind.COUNTER, Unit.MESSAGES,
            "Retries by channel and reason: the error class, or why the message waits.",
            SharedTags.CHANNEL, SharedTags.RETRY_REASON),
    SENDER_DEFERRED("wabatch.sender.deferred", Kind.COUNTER, Unit.MESSAGES,
            "Jobs moved to the deferred topics, by reason.", SharedTags.CHANNEL,
            MetricTag.closed("reason", "not_before", "retry", "pair_limit", "campaign_paused", "quiet_hours", "tier",
                    "marketing_cap",
                    "other")),
    SENDER_CHANNEL_STATE("wabatch.sender.channel.state", Kind.GAUGE, Unit.NONE,
            "1 for the channel's current state, else 0; backing_off = below its target pace (the configured pace "
                    + "less its inbound rate) after 130429s.",
            SharedTags.CHANNEL, MetricTag.closed("state", "running", "backing_off", "paused")),
    SENDER_CHANNEL_WAITING("wabatch.sender.channel.waiting", Kind.GAUGE, Unit.MESSAGES,
            "Messages waiting for a paused channel to resume.", SharedTags.CHANNEL),
    SENDER_CHANNEL_PROBES("wabatch.sender.channel.probes", Kind.COUNTER, Unit.PROBES,
            "Probes of channels paused for an API error, by result.", SharedTags.CHANNEL,
            MetricTag.closed("result", "accepted", "refused")),
    SENDER_LEDGER_JOBS("wabatch.sender.ledger.jobs", Kind.GAUGE, Unit.JOBS,
            "Jobs the send ledger remembers (those sent within the ledger horizon)."),

    UPLOAD_UPLOADS("wabatch.upload.uploads", Kind.COUNTER, Unit.UPLOADS,
            "Uploads to /media by channel, media type and outcome.", SharedTags.CHANNEL, SharedTags.MEDIA_TYPE,
            MetricTag.closed("outcome", "uploaded", "failed")),
    UPLOAD_BYTES("wabatch.upload.bytes", Kind.COUNTER, Unit.BYTES, "Bytes uploaded to /media.", SharedTags.CHANNEL),
    UPLOAD_UPLOAD_LATENCY("wabatch.upload.upload.latency", Kind.TIMER, Unit.SECONDS,
            "Time of one /media upload.", SharedTags.CHANNEL),
    UPLOAD_DOWNLOAD_LATENCY("wabatch.upload.download.latency", Kind.TIMER, Unit.SECONDS,
            "Time to download one media link.", SharedTags.MEDIA_TYPE),
    UPLOAD_CACHE("wabatch.upload.cache", Kind.COUNTER, Unit.LOOKUPS,
            "Media-id cache lookups by result: hit (fresh id), miss (downloaded and uploaded), revalidated "
                    + "(the origin answered 304), hash_hit (same bytes as an id already uploaded).",
            MetricTag.closed("result", "hit", "miss", "revalidated", "hash_hit")),
    UPLOAD_SINGLEFLIGHT_JOINS("wabatch.upload.singleflight.joins", Kind.COUNTER, Unit.REQUESTS,
            "Requests that waited for a download and upload already under way."),
    UPLOAD_SPOOL_BYTES("wabatch.upload.spool.bytes", Kind.GAUGE, Unit.BYTES, "Spool bytes reserved by downloads."),
    UPLOAD_INFLIGHT("wabatch.upload.inflight", Kind.GAUGE, Unit.RECORDS, "Campaign jobs in flight."),
    UPLOAD_TEMPLATE_CHECKS("wabatch.upload.template.checks", Kind.COUNTER, Unit.JOBS,
            "Template jobs checked against the template catalogue, by result: passed, failed (dead-lettered with a "
                    + "template_* code), unchecked (the channel's account has no catalogue, or its catalogue is stale).",
            MetricTag.closed("result", "passed", "failed", "unchecked")),
    UPLOAD_TEMPLATE_SYNCS("wabatch.upload.template.syncs", Kind.COUNTER, Unit.SYNCS,
            "Listings of an account's templates from the API, by result: ok (complete, changes written to the "
                    + "catalogue topic) or failed (the API refused or did not answer; the catalogue is unchanged).",
            MetricTag.closed("result", "ok", "failed")),
    UPLOAD_DLQ("wabatch.upload.dlq", Kind.COUNTER, Unit.RECORDS,
            "The upload worker's dead letters by reason code (see also wabatch.dlq.records).",
            SharedTags.ERROR_CODE.renamed("reason")),

    WEBHOOK_REQUESTS("wabatch.webhook.requests", Kind.COUNTER, Unit.REQUESTS,
            "Webhook requests by how they were answered: accepted (200 after Kafka acknowledged their events, or "
                    + "their raw body in wa.webhooks.unparsed when it could not be read), unauthorized (401, no "
                    + "signature), forbidden (403, wrong signature or verify token), too_large (413), unavailable (503, "
                    + "Kafka did not acknowledge), handshake (200).",
            MetricTag.closed("result", "accepted", "unauthorized", "forbidden", "too_large", "unavailable",
                    "handshake")),
    WEBHOOK_EVENTS("wabatch.webhook.events", Kind.COUNTER, Unit.RECORDS,
            "Events written by the webhook receiver, by kind (status to wa.status, inbound to wa.inbound, platform "
                    + "to wa.platform.events) and status (sent, delivered, read, failed, other; none for the others).",
            MetricTag.closed("kind", "status", "inbound", "platform"),
            MetricTag.closed("status", "sent", "delivered", "read", "failed", "other", "none")),
    WEBHOOK_UNPARSED("wabatch.webhook.unparsed", Kind.COUNTER, Unit.RECORDS,
            "Correctly signed webhook bodies the receiver could not read, answered 200 and kept raw in "
                    + "wa.webhooks.unparsed, by reason: not_json (not JSON), not_webhook (JSON without "
                    + "'entry': [...], or another 'object'), unreadable_item (a status, message or change without "
                    + "what it needs, e.g. a status without 'id'; the rest of the body was written as events).",
            MetricTag.closed("reason", "not_json", "not_webhook", "unreadable_item")),
    WEBHOOK_ACK_LATENCY("wabatch.webhook.ack.latency", Kind.HISTOGRAM, Unit.SECONDS,
            "Time from a webhook's arrival to its answer, with its events acknowledged by Kafka (percentile "
                    + "histogram)."),
    FUNNEL_MESSAGES("wabatch.funnel.messages", Kind.COUNTER, Unit.MESSAGES,
            "Messages reaching each stage of the delivery funnel, counted once per job and generation by the "
                    + "funnel aggregator (deduplicated: a replayed webhook counts once).",
            SharedTags.CHANNEL, MetricTag.closed("stage", "accepted", "sent", "delivered", "read", "failed")),
    FUNNEL_RESENDS("wabatch.funnel.resends", Kind.COUNTER, Unit.MESSAGES,
            "Messages the funnel aggregator sent again (once each, next generation) because a status said a resend "
                    + "fixes them: 131053 (media re-uploaded), 131049 (a day later).", SharedTags.CHANNEL,
            MetricTag.closed("error_code", "131053", "131049")),
    FUNNEL_AUTO_PAUSES("wabatch.funnel.auto.pauses", Kind.COUNTER, Unit.NONE,
            "Campaigns the funnel aggregator paused by itself (failure ratio over the threshold, or template paused "
                    + "or disabled: 132015, 132016); the reason is in 'wabatch campaign status'."),
    FUNNEL_PLATFORM_ACTIONS("wabatch.funnel.platform.actions", Kind.COUNTER, Unit.NONE,
            "What the funnel aggregator did on the platform's webhook events (issue 19), by event field and action: "
                    + "a template's campaigns paused or resumed (template status; a change of category to "
                    + "marketing), warned or their warning cleared (quality RED, category), users opted out or in "
                    + "(user_preferences). Each campaign action's reason is in 'wabatch campaign status'.",
            SharedTags.PLATFORM_FIELD, SharedTags.PLATFORM_ACTION),
    SENDER_PLATFORM_ACTIONS("wabatch.sender.platform.actions", Kind.COUNTER, Unit.NONE,
            "What the sender did on the platform's webhook events about its numbers and accounts (issue 19), by "
                    + "event field and action: a number's pace raised (THROUGHPUT_UPGRADE), warned (FLAGGED, "
                    + "DOWNGRADE), its portfolio's messaging limit changed (limit), an account's numbers paused or "
                    + "resumed (restriction, disable), sent by the Marketing Messages API again (route). Each "
                    + "action's reason is in the sender's log; a pause shows in the channel-state panel.",
            SharedTags.PLATFORM_FIELD, SharedTags.PLATFORM_ACTION),
    FUNNEL_PRICED_MESSAGES("wabatch.funnel.priced.messages", Kind.COUNTER, Unit.MESSAGES,
            "Messages the funnel aggregator found priced by their statuses, once per job and generation (a status "
                    + "replayed, or sent, delivered and read each with pricing, count once), by pricing category and "
                    + "type: regular and other are charged; free_customer_service, free_entry_point and free_other "
                    + "(billable false without a type, or another free type) are not. A category this version does "
                    + "not know counts as other.",
            MetricTag.closed("category", Stream.concat(ChargeType.CATEGORIES.stream(), Stream.of("other")).toList()),
            MetricTag.closed("type", ChargeType.WIRE_NAMES)),
    FUNNEL_ESTIMATED_COST("wabatch.funnel.estimated.cost", Kind.COUNTER, Unit.MONEY,
            "Estimated cost of the charged messages (those of wabatch.funnel.priced.messages with type regular or "
                    + "other), in the currency of the rate card (funnel.rate.card), by pricing category; stays 0 "
                    + "without a rate card. Per campaign: 'wabatch campaign status'.",
            MetricTag.closed("category", Stream.concat(ChargeType.CATEGORIES.stream(), Stream.of("other")).toList())),
    DLQ_RECORDS("wabatch.dlq.records", Kind.COUNTER, Unit.RECORDS,
            "Dead letters produced to wa.dlq, by the stage that gave up and the error code.",
            MetricTag.closed("stage", "upload", "send"), SharedTags.ERROR_CODE),
    KAFKA_CONSUMER_LAG("wabatch.kafka.consumer.lag", Kind.GAUGE, Unit.RECORDS,
            "Records behind the log end, summed over the partitions this instance is assigned, per topic "
                    + "(as of each partition's last fetch).",
            MetricTag.from("group", Source.GROUPS), MetricTag.from("topic", Source.TOPICS));

    /** How a meter is registered and exposed. */
    public enum Kind {
        COUNTER, GAUGE, TIMER,
        /** A timer with a percentile histogram ({@code _bucket} series). */
        HISTOGRAM;

        /** Micrometer's type of meters of this kind. */
        public Meter.Type meterType() {
            return switch (this) {
                case COUNTER -> Meter.Type.COUNTER;
                case GAUGE -> Meter.Type.GAUGE;
                case TIMER, HISTOGRAM -> Meter.Type.TIMER;
            };
        }
    }

    /** The unit of a meter's value; only {@link #BYTES} and {@link #SECONDS} are Prometheus base units. */
    public enum Unit {
        NONE(""), SECONDS("seconds"), BYTES("bytes"), MESSAGES("messages"), MESSAGES_PER_SECOND("messages/s"),
        RECORDS("records"), JOBS("jobs"), ERRORS("errors"), UPLOADS("uploads"), LOOKUPS("lookups"),
        REQUESTS("requests"), PROBES("probes"), SYNCS("syncs"),
        /** An amount of money in the currency of the funnel's rate card. */
        MONEY("rate card currency");

        private final String label;

        Unit(String label) {
            this.label = label;
        }

        /** The unit in words. */
        public String label() {
            return label;
        }
    }

    private final String meterName;
    private final Kind kind;
    private final Unit unit;
    private final String description;
    private final List<MetricTag> tags;
    private final String[] tagKeys;

    Metric(String meterName, Kind kind, Unit unit, String description, MetricTag... tags) {
        this.meterName = meterName;
        this.kind = kind;
        this.unit = unit;
        this.description = description;
        this.tags = List.of(tags);
        this.tagKeys = Arrays.stream(tags).map(MetricTag::key).sorted().toArray(String[]::new);
    }

    /** The Micrometer name, e.g. {@code wabatch.sender.messages}. */
    public String meterName() {
        return meterName;
    }

    public Kind kind() {
        return kind;
    }

    public Unit unit() {
        return unit;
    }

    public String description() {
        return description;
    }

    /** The tags every meter of this metric carries, no more, no fewer. */
    public List<MetricTag> tags() {
        return tags;
    }

    /** The tag declared with {@code key}, if any. */
    public Optional<MetricTag> tag(String key) {
        return tags.stream().filter(t -> t.key().equals(key)).findFirst();
    }

    /**
     * The name Prometheus shows, as Micrometer's Prometheus registry derives it: {@code .} → {@code _}, the
     * base unit appended ({@code _bytes}, {@code _seconds}), {@code _total} for counters. A timer adds
     * {@code _count}, {@code _sum} and {@code _max} to it, a histogram also {@code _bucket}.
     */
    public String prometheusName() {
        String base = meterName.replace('.', '_');
        if (unit == Unit.BYTES && !base.endsWith("_bytes")) {
            base += "_bytes";
        }
        return switch (kind) {
            case COUNTER -> base + "_total";
            case GAUGE -> base;
            case TIMER, HISTOGRAM -> base + "_seconds";
        };
    }

    /** The metric registered under {@code meterName}, if it is one. */
    public static Optional<Metric> byMeterName(String meterName) {
        return Stream.of(values()).filter(m -> m.meterName.equals(meterName)).findFirst();
    }

    /**
     * The counter with these tags ({@code key, value, ...}), registered in {@code registry} on first use.
     *
     * @throws IllegalArgumentException when the keys are not exactly the declared ones or this is no counter
     */
    public Counter counter(MeterRegistry registry, String... keyValues) {
        requireKind(Kind.COUNTER);
        Counter.Builder builder = Counter.builder(meterName).description(description).tags(tags(keyValues));
        if (unit == Unit.BYTES) {
            builder.baseUnit("bytes");
        }
        return builder.register(registry);
    }

    /** The timer with these tags, a percentile histogram for {@link Kind#HISTOGRAM}; see {@link #counter}. */
    public Timer timer(MeterRegistry registry, String... keyValues) {
        if (kind != Kind.TIMER && kind != Kind.HISTOGRAM) {
            throw new IllegalArgumentException(meterName + " is a " + kind + ", not a timer");
        }
        return Timer.builder(meterName).description(description).tags(tags(keyValues))
                .publishPercentileHistogram(kind == Kind.HISTOGRAM).register(registry);
    }

    /** A gauge reading {@code value} whenever it is scraped; see {@link #counter}. */
    public Gauge gauge(MeterRegistry registry, Supplier<Number> value, String... keyValues) {
        requireKind(Kind.GAUGE);
        Gauge.Builder<Supplier<Number>> builder = Gauge.builder(meterName, value).description(description)
                .tags(tags(keyValues));
        if (unit == Unit.BYTES) {
            builder.baseUnit("bytes");
        }
        return builder.register(registry);
    }

    private void requireKind(Kind expected) {
        if (kind != expected) {
            throw new IllegalArgumentException(meterName + " is a " + kind + ", not a " + expected);
        }
    }

    private Tags tags(String[] keyValues) {
        if (keyValues.length != tagKeys.length * 2) {
            throw new IllegalArgumentException(meterName + " takes tags " + Arrays.toString(tagKeys) + ", got "
                    + Arrays.toString(keyValues));
        }
        String[] keys = new String[tagKeys.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = keyValues[2 * i];
        }
        Arrays.sort(keys);
        if (!Arrays.equals(keys, tagKeys)) {
            throw new IllegalArgumentException(meterName + " takes tags " + Arrays.toString(tagKeys) + ", got "
                    + Arrays.toString(keyValues));
        }
        return Tags.of(keyValues);
    }

    /** Tags several metrics share. */
    private static final class SharedTags {
        static final MetricTag CHANNEL = MetricTag.from("channel", Source.CHANNELS, "unknown");
        static final MetricTag MESSAGE_TYPE = MetricTag.closed("type", MessageTypes.TAG_VALUES);
        static final MetricTag OUTCOME = MetricTag.closed("outcome",
                Stream.of(Outcome.values()).map(Outcome::wireName).toList());
        static final MetricTag MEDIA_TYPE = MetricTag.closed("type",
                Stream.of(MediaType.values()).map(t -> t.name().toLowerCase(Locale.ROOT)).toList());
        static final MetricTag ERROR_CODE = MetricTag.closed("code", ErrorCodes.ALL)
                .describedAs("an error code listed below the table");
        static final MetricTag RETRY_REASON = MetricTag.closed("reason", Stream.concat(
                Stream.of(ErrorAction.Kind.values()).map(k -> k.name().toLowerCase(Locale.ROOT)),
                Stream.of("channel_paused", "waba_paused", "reupload")).toList());
        static final MetricTag PLATFORM_FIELD = MetricTag.closed("field", "message_template_status_update",
                "message_template_quality_update", "template_category_update", "user_preferences",
                "phone_number_quality_update", "business_capability_update", "account_update");
        static final MetricTag PLATFORM_ACTION = MetricTag.closed("action", "pause", "resume", "warn", "clear",
                "opt_out", "opt_in", "pace", "limit", "route");

        private SharedTags() {
        }
    }
}
