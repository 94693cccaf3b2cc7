package io.wabatch.funnel;

import static io.wabatch.funnel.FunnelSerdes.json;
import static io.wabatch.funnel.FunnelSerdes.read;

import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.OptOut;
import io.wabatch.common.contract.PlatformEvent;
import io.wabatch.common.control.CampaignCommand;
import io.wabatch.common.control.CampaignPolicy;
import io.wabatch.common.control.CampaignWarning;
import io.wabatch.common.kafka.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the funnel does with the platform's events ({@code wa.platform.events}, issue 19):
 * <ul>
 *   <li>{@code user_preferences}: a user's "stop" opts them out in {@code wa.optouts} (under their number, else
 *       their business-scoped user ID; the identity map extends it to the other), "resume" opts them back in.
 *       wabatch keeps one opt-out per person for every number, the stricter reading of "from that
 *       business";</li>
 *   <li>{@code message_template_status_update}: PAUSED, DISABLED, REJECTED, PENDING_DELETION or ARCHIVED pauses
 *       every running campaign that sends the template (name and language) with the reason, by
 *       {@value #BY}; APPROVED resumes those it paused that asked for it
 *       ({@code campaign publish --resume-on-approval});</li>
 *   <li>{@code message_template_quality_update}: RED warns the template's campaigns (a RED template is often
 *       paused next); another score clears the warning;</li>
 *   <li>{@code template_category_update}: an impending change warns with its date; a completed change warns,
 *       and a change to marketing of a template whose campaign declared another category makes the campaign
 *       marketing (opt-outs, the marketing cap and the US pause then apply to it) and pauses it, unless it
 *       was published with {@code --allow-category-change}.</li>
 * </ul>
 * Campaigns meet a template's events through a table of the campaigns by template name (re-keyed from their
 * commands), so an event reaches every campaign of its template however the topics are partitioned. Each
 * campaign's decision is then taken against its latest command, re-read by campaign, so a table that lags
 * behind a newer command (an operator's pause or cancel) does not undo it. Warnings are separate records
 * ({@link CampaignWarning}) that never change a campaign's state.
 */
final class PlatformStreams {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformStreams.class);
    static final String BY = "platform";
    /** Template statuses under which nothing can be sent with it. */
    static final Set<String> STOPPED = Set.of("PAUSED", "DISABLED", "REJECTED", "PENDING_DELETION", "ARCHIVED");
    static final String APPROVED = "APPROVED";
    static final String RED = "RED";
    static final String IMPENDING = "IMPENDING";
    static final String COMPLETED = "COMPLETED";
    /** How a template status pause's reason starts: only such a pause is undone by an approval. */
    static final String STATUS_PAUSE = "WhatsApp set template ";
    /** The key of campaigns without a recorded template (they meet no event and are left out of the table). */
    private static final String NO_TEMPLATE = "-";
    private static final Set<String> TEMPLATE_FIELDS = Set.of(PlatformEvent.TEMPLATE_STATUS,
            PlatformEvent.TEMPLATE_QUALITY, PlatformEvent.TEMPLATE_CATEGORY);

    /** Told each action taken on a platform event, for metrics. */
    @FunctionalInterface
    interface Acted {
        /**
         * @param field    the event's webhook field
         * @param action   {@code pause}, {@code resume}, {@code warn}, {@code clear}, {@code opt_out} or
         *                 {@code opt_in}
         * @param campaign the campaign acted on, or null (opt-outs)
         * @param reason   the action's reason in words, or null
         */
        void acted(String field, String action, String campaign, String reason);
    }

    /** The campaigns that send templates of one name, with their commands (for their template's language). */
    record CampaignsOfTemplate(Map<String, CampaignCommand> campaigns) {
        CampaignsOfTemplate {
            campaigns = campaigns == null ? new TreeMap<>() : new TreeMap<>(campaigns);
        }

        CampaignsOfTemplate() {
            this(null);
        }

        CampaignsOfTemplate with(String campaign, CampaignCommand command) {
            CampaignsOfTemplate copy = new CampaignsOfTemplate(campaigns);
            copy.campaigns.put(campaign, command);
            return copy;
        }

        CampaignsOfTemplate without(String campaign) {
            CampaignsOfTemplate copy = new CampaignsOfTemplate(campaigns);
            copy.campaigns.remove(campaign);
            return copy;
        }

        /** The campaigns an event about a template of this name and {@code language} (any, when null) concerns. */
        List<String> sending(String language) {
            return campaigns.entrySet().stream().filter(e -> language == null
                            || language.equalsIgnoreCase(e.getValue().policy().template().language()))
                    .map(Map.Entry::getKey).toList();
        }
    }

    private PlatformStreams() {
    }

    static void add(StreamsBuilder builder, TopicNames topics, KTable<String, CampaignCommand> commands, Clock clock,
                    Acted acted) {
        Produced<byte[], byte[]> raw = Produced.with(Serdes.ByteArray(), Serdes.ByteArray());
        KStream<String, PlatformEvent> events = builder.stream(topics.platformEvents(),
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("platform-events"))
                .flatMap((key, value) -> {
                    PlatformEvent event = read(value, PlatformEvent.class);
                    return event == null ? List.<KeyValue<String, PlatformEvent>>of()
                            : List.of(KeyValue.pair(event.wabaId(), event));
                }, Named.as("platform-events-read"));

        events.flatMap((key, event) -> optOut(event, clock, acted), Named.as("preference-opt-outs"))
                .to(topics.optOuts(), raw.withName("preference-opt-outs-out"));

        KTable<String, CampaignsOfTemplate> byTemplate = commands
                .filter((campaign, command) -> !NO_TEMPLATE.equals(templateName(command)),
                        Named.as("campaigns-with-template"))
                .groupBy((campaign, command) -> KeyValue.pair(templateName(command), new Member(campaign, command)),
                        Grouped.with("campaigns-by-template", Serdes.String(), json(Member.class)))
                .aggregate(CampaignsOfTemplate::new, (template, member, all) -> all.with(member.campaign(),
                                member.command()),
                        (template, member, all) -> all.without(member.campaign()), Named.as("campaigns-of-template"),
                        Materialized.<String, CampaignsOfTemplate, KeyValueStore<Bytes, byte[]>>as(
                                "campaigns-of-template").withKeySerde(Serdes.String())
                                .withValueSerde(json(CampaignsOfTemplate.class)));
        events.filter((waba, event) -> TEMPLATE_FIELDS.contains(event.field()) && event.event() != null
                        && event.subject().templateName() != null, Named.as("template-events"))
                .selectKey((waba, event) -> event.subject().templateName(), Named.as("template-events-by-name"))
                .join(byTemplate, (event, campaigns) -> new TemplateEvent(event,
                                campaigns.sending(event.subject().templateLanguage())),
                        Joined.with(Serdes.String(), json(PlatformEvent.class), json(CampaignsOfTemplate.class),
                                "template-events-with-campaigns"))
                .flatMap((name, joined) -> joined.campaigns().stream()
                        .map(campaign -> KeyValue.pair(campaign, joined.event())).toList(),
                        Named.as("template-events-by-campaign"))
                .join(commands, Decision::new, Joined.with(Serdes.String(), json(PlatformEvent.class),
                        json(CampaignCommand.class), "template-events-with-command"))
                .flatMap((campaign, decision) -> decide(campaign, decision.event(), decision.command(), clock, acted),
                        Named.as("template-event-actions"))
                .to(topics.control(), raw.withName("template-event-actions-out"));
    }

    /** A campaign and its command, on its way to the table of its template. */
    record Member(String campaign, CampaignCommand command) {
    }

    /** A template's event and the campaigns that send the template. */
    record TemplateEvent(PlatformEvent event, List<String> campaigns) {
    }

    /** A template's event and one of its campaign's latest command. */
    record Decision(PlatformEvent event, CampaignCommand command) {
    }

    private static String templateName(CampaignCommand command) {
        CampaignPolicy.Template template = command.policy() == null ? null : command.policy().template();
        return template == null ? NO_TEMPLATE : template.name();
    }

    /**
     * The records a template's event gives one campaign that sends it: a new command (pause, resume, a new
     * category), a warning, or a warning's tombstone.
     */
    static List<KeyValue<byte[], byte[]>> decide(String campaign, PlatformEvent event, CampaignCommand command,
                                                 Clock clock, Acted acted) {
        CampaignPolicy.Template template = command.policy() == null ? null : command.policy().template();
        if (template == null || command.cancelled()) {
            return List.of();
        }
        String name = template.name() + " (" + template.language() + ")";
        String kind = event.event().toUpperCase(Locale.ROOT);
        List<KeyValue<byte[], byte[]>> out = new ArrayList<>();
        switch (event.field()) {
            case PlatformEvent.TEMPLATE_STATUS -> {
                if (STOPPED.contains(kind) && CampaignCommand.RUNNING.equals(command.state())) {
                    String why = event.detail("reason") != null && !"NONE".equals(event.detail("reason"))
                            ? " (" + event.detail("reason") + ")" : "";
                    String reason = STATUS_PAUSE + name + " to " + kind + " at " + event.when() + why
                            + "; nothing more is sent with it" + (template.resumeOnApproval()
                            ? "; the campaign resumes when it is approved again"
                            : "; fix or replace it, then 'wabatch campaign resume " + campaign + "'");
                    out.add(command(campaign, command.to(CampaignCommand.PAUSED, reason, BY, clock.instant())));
                    acted(acted, event, "pause", campaign, reason);
                } else if (APPROVED.equals(kind) && command.paused() && BY.equals(command.by())
                        && command.reason() != null && command.reason().startsWith(STATUS_PAUSE)
                        && template.resumeOnApproval()) {
                    String reason = "WhatsApp approved template " + name + " again at " + event.when();
                    out.add(command(campaign, command.to(CampaignCommand.RUNNING, reason, BY, clock.instant())));
                    acted(acted, event, "resume", campaign, reason);
                }
            }
            case PlatformEvent.TEMPLATE_QUALITY -> {
                if (RED.equals(kind)) {
                    String text = "WhatsApp rated template " + name + "'s quality RED"
                            + previous(event.detail("previous_quality_score")) + ": users block or report its "
                            + "messages, and a RED template is often paused next; review its content and audience";
                    out.add(warning(campaign, CampaignWarning.TEMPLATE_QUALITY, text, event));
                    acted(acted, event, "warn", campaign, text);
                } else {
                    out.add(KeyValue.pair(CampaignWarning.key(campaign, CampaignWarning.TEMPLATE_QUALITY), null));
                    acted(acted, event, "clear", campaign, null);
                }
            }
            case PlatformEvent.TEMPLATE_CATEGORY -> category(campaign, event, command, template, name, kind, clock,
                    acted, out);
            default -> {
            }
        }
        return out;
    }

    private static void category(String campaign, PlatformEvent event, CampaignCommand command,
                                 CampaignPolicy.Template template, String name, String kind, Clock clock,
                                 Acted acted, List<KeyValue<byte[], byte[]>> out) {
        String declared = command.effectivePolicy().category();
        if (IMPENDING.equals(kind)) {
            String correct = lower(event.detail("correct_category"));
            String text = "WhatsApp will change template " + name + "'s category"
                    + (event.detail("new_category") != null ? " from " + lower(event.detail("new_category")) : "")
                    + (correct != null ? " to " + correct : "") + " on "
                    + (event.detail("category_update_at") != null ? event.detail("category_update_at")
                    : "a date it did not say") + "; its price and rules change then"
                    + (CampaignPolicy.MARKETING.equals(correct) && !CampaignPolicy.MARKETING.equals(declared)
                    && !template.allowCategoryChange() ? "; this " + declared + " campaign will pause then unless "
                    + "it was published with --allow-category-change" : "");
            out.add(warning(campaign, CampaignWarning.TEMPLATE_CATEGORY, text, event));
            acted(acted, event, "warn", campaign, text);
            return;
        }
        if (!COMPLETED.equals(kind)) {
            return;
        }
        String now = lower(event.detail("new_category"));
        String change = "WhatsApp changed template " + name + "'s category from "
                + lower(event.detail("previous_category")) + " to " + now + " at " + event.when();
        if (CampaignPolicy.MARKETING.equals(now) && !CampaignPolicy.MARKETING.equals(declared)) {
            // Whatever the campaign declared, its messages are marketing now: opt-outs and the cap must apply.
            CampaignCommand marketing = new CampaignCommand(command.state(), command.reason(), command.by(),
                    command.at(), command.published(), command.effectivePolicy().withCategory(now));
            if (!template.allowCategoryChange() && CampaignCommand.RUNNING.equals(command.state())) {
                String reason = change + "; the " + declared + " campaign is marketing now (opt-outs, the marketing "
                        + "cap and its price apply); 'wabatch campaign resume " + campaign + "' sends it as marketing";
                out.add(command(campaign, marketing.to(CampaignCommand.PAUSED, reason, BY, clock.instant())));
                acted(acted, event, "pause", campaign, reason);
            } else {
                out.add(command(campaign, marketing));
            }
            String text = change + "; the campaign's messages are marketing from now on";
            out.add(warning(campaign, CampaignWarning.TEMPLATE_CATEGORY, text, event));
            acted(acted, event, "warn", campaign, text);
        } else {
            String text = change + "; its price and rules changed";
            out.add(warning(campaign, CampaignWarning.TEMPLATE_CATEGORY, text, event));
            acted(acted, event, "warn", campaign, text);
        }
    }

    private static KeyValue<byte[], byte[]> command(String campaign, CampaignCommand command) {
        return KeyValue.pair(CampaignCommand.key(campaign), Json.bytes(command));
    }

    private static KeyValue<byte[], byte[]> warning(String campaign, String kind, String text, PlatformEvent event) {
        return KeyValue.pair(CampaignWarning.key(campaign, kind),
                Json.bytes(new CampaignWarning(kind, text, BY, event.when())));
    }

    private static void acted(Acted acted, PlatformEvent event, String action, String campaign, String reason) {
        if ("pause".equals(action) || "warn".equals(action)) {
            LOG.warn("campaign {}: {}", campaign, reason);
        } else if (reason != null) {
            LOG.info("campaign {}: {}", campaign, reason);
        }
        acted.acted(event.field(), action, campaign, reason);
    }

    private static String previous(String score) {
        return score == null ? "" : " (was " + score + ")";
    }

    private static String lower(String text) {
        return text == null ? null : text.toLowerCase(Locale.ROOT);
    }

    /** A user's marketing preference as an opt-out (stop) or its tombstone (resume). */
    static List<KeyValue<byte[], byte[]>> optOut(PlatformEvent event, Clock clock, Acted acted) {
        if (!PlatformEvent.USER_PREFERENCES.equals(event.field()) || event.event() == null) {
            return List.of();
        }
        String user = event.subject().userPhone() != null ? event.subject().userPhone() : event.subject().userId();
        if (user == null) {
            return List.of();
        }
        byte[] key = user.getBytes(StandardCharsets.UTF_8);
        return switch (event.event().toLowerCase(Locale.ROOT)) {
            case "stop" -> {
                acted.acted(event.field(), "opt_out", null, null);
                yield List.of(KeyValue.pair(key, Json.bytes(new OptOut(user, "user_preferences:stop",
                        clock.instant()))));
            }
            case "resume" -> {
                acted.acted(event.field(), "opt_in", null, null);
                yield List.of(KeyValue.<byte[], byte[]>pair(key, null));
            }
            default -> List.of();
        };
    }
}
