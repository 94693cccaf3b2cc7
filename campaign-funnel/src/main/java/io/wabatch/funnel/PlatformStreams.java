package io.wabatch.funnel;

import static io.wabatch.funnel.FunnelSerdes.json;
import static io.wabatch.funnel.FunnelSerdes.read;

import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.OptOut;
import io.wabatch.common.contract.PlatformEvent;
import io.wabatch.common.control.CampaignCommand;
import io.wabatch.common.control.CampaignPolicy;
import io.wabatch.common.kafka.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
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
 *       ({@code campaign publish --resume-on-approval}). Campaigns meet events through a table of the
 *       campaigns by template, re-keyed from their commands, so an event reaches every campaign of its
 *       template however the topics are partitioned.</li>
 * </ul>
 */
final class PlatformStreams {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformStreams.class);
    static final String BY = "platform";
    /** Template statuses under which nothing can be sent with it. */
    static final Set<String> STOPPED = Set.of("PAUSED", "DISABLED", "REJECTED", "PENDING_DELETION", "ARCHIVED");
    static final String APPROVED = "APPROVED";
    /** The key of campaigns without a recorded template (they meet no event and are left out of the table). */
    private static final String NO_TEMPLATE = "-";

    /** The campaigns that send one template, with their latest commands. */
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
    }

    private PlatformStreams() {
    }

    static void add(StreamsBuilder builder, TopicNames topics, KTable<String, CampaignCommand> commands, Clock clock,
                    BiConsumer<String, String> paused) {
        Produced<byte[], byte[]> raw = Produced.with(Serdes.ByteArray(), Serdes.ByteArray());
        KStream<String, PlatformEvent> events = builder.stream(topics.platformEvents(),
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("platform-events"))
                .flatMap((key, value) -> {
                    PlatformEvent event = read(value, PlatformEvent.class);
                    return event == null ? List.<KeyValue<String, PlatformEvent>>of()
                            : List.of(KeyValue.pair(event.wabaId(), event));
                }, Named.as("platform-events-read"));

        events.flatMap((key, event) -> optOut(event, clock), Named.as("preference-opt-outs"))
                .to(topics.optOuts(), raw.withName("preference-opt-outs-out"));

        KTable<String, CampaignsOfTemplate> byTemplate = commands
                .filter((campaign, command) -> !NO_TEMPLATE.equals(templateKey(command)),
                        Named.as("campaigns-with-template"))
                .groupBy((campaign, command) -> KeyValue.pair(templateKey(command), new Member(campaign, command)),
                        Grouped.with("campaigns-by-template", Serdes.String(), json(Member.class)))
                .aggregate(CampaignsOfTemplate::new, (template, member, all) -> all.with(member.campaign(),
                                member.command()),
                        (template, member, all) -> all.without(member.campaign()), Named.as("campaigns-of-template"),
                        Materialized.<String, CampaignsOfTemplate, KeyValueStore<Bytes, byte[]>>as(
                                "campaigns-of-template").withKeySerde(Serdes.String())
                                .withValueSerde(json(CampaignsOfTemplate.class)));
        events.filter((waba, event) -> PlatformEvent.TEMPLATE_STATUS.equals(event.field()) && event.event() != null
                                && event.subject().templateName() != null && event.subject().templateLanguage() != null,
                        Named.as("template-statuses"))
                .selectKey((waba, event) -> event.subject().templateName() + "/" + event.subject().templateLanguage(),
                        Named.as("template-statuses-by-template"))
                .join(byTemplate, TemplateStatus::new, Joined.with(Serdes.String(), json(PlatformEvent.class),
                        json(CampaignsOfTemplate.class), "template-statuses-with-campaigns"))
                .flatMap((template, joined) -> commands(joined, clock, paused), Named.as("template-status-commands"))
                .to(topics.control(), raw.withName("template-status-commands-out"));
    }

    /** A campaign and its command, on its way to the table of its template. */
    record Member(String campaign, CampaignCommand command) {
    }

    /** A template status event and the campaigns of its template. */
    record TemplateStatus(PlatformEvent event, CampaignsOfTemplate campaigns) {
    }

    private static String templateKey(CampaignCommand command) {
        CampaignPolicy.Template template = command.policy() == null ? null : command.policy().template();
        return template == null ? NO_TEMPLATE : template.key();
    }

    /** The commands a template's new status gives its campaigns: pauses, or resumes of those that asked. */
    static List<KeyValue<byte[], byte[]>> commands(TemplateStatus status, Clock clock,
                                                   BiConsumer<String, String> paused) {
        PlatformEvent event = status.event();
        String name = event.subject().templateName() + " (" + event.subject().templateLanguage() + ")";
        List<KeyValue<byte[], byte[]>> out = new ArrayList<>();
        status.campaigns().campaigns().forEach((campaign, command) -> {
            if (STOPPED.contains(event.event()) && CampaignCommand.RUNNING.equals(command.state())) {
                String reason = "WhatsApp set template " + name + " to " + event.event() + " at " + event.when()
                        + (event.detail("reason") != null && !"NONE".equals(event.detail("reason"))
                        ? " (" + event.detail("reason") + ")" : "") + "; nothing more is sent with it"
                        + (command.policy().template().resumeOnApproval() ? "; the campaign resumes when it is "
                        + "approved again" : "; fix or replace it, then 'wabatch campaign resume " + campaign + "'");
                LOG.warn("campaign {} paused: {}", campaign, reason);
                paused.accept(campaign, reason);
                out.add(KeyValue.pair(CampaignCommand.key(campaign),
                        Json.bytes(command.to(CampaignCommand.PAUSED, reason, BY, clock.instant()))));
            } else if (APPROVED.equals(event.event()) && CampaignCommand.PAUSED.equals(command.state())
                    && BY.equals(command.by()) && command.policy().template().resumeOnApproval()) {
                String reason = "WhatsApp approved template " + name + " again at " + event.when();
                LOG.info("campaign {} resumed: {}", campaign, reason);
                out.add(KeyValue.pair(CampaignCommand.key(campaign),
                        Json.bytes(command.to(CampaignCommand.RUNNING, reason, BY, clock.instant()))));
            }
        });
        return out;
    }

    /** A user's marketing preference as an opt-out (stop) or its tombstone (resume). */
    static List<KeyValue<byte[], byte[]>> optOut(PlatformEvent event, Clock clock) {
        if (!PlatformEvent.USER_PREFERENCES.equals(event.field()) || event.event() == null) {
            return List.of();
        }
        String user = event.subject().userPhone() != null ? event.subject().userPhone() : event.subject().userId();
        if (user == null) {
            return List.of();
        }
        byte[] key = user.getBytes(StandardCharsets.UTF_8);
        return switch (event.event().toLowerCase(java.util.Locale.ROOT)) {
            case "stop" -> List.of(KeyValue.pair(key, Json.bytes(new OptOut(user, "user_preferences:stop",
                    clock.instant()))));
            case "resume" -> List.of(KeyValue.<byte[], byte[]>pair(key, null));
            default -> List.of();
        };
    }
}
