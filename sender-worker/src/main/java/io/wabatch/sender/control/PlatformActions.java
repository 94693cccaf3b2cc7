package io.wabatch.sender.control;

import io.wabatch.common.channel.Channel;
import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.contract.PlatformEvent;
import io.wabatch.common.control.ChannelCommand;
import io.wabatch.sender.policy.PortfolioLimits;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the sender's control plane does with the platform's events about its numbers and accounts
 * ({@code wa.platform.events}, issue 19), as channel commands every sender obeys (written to
 * {@code wa.control} by {@link ChannelControl#decide}):
 * <ul>
 *   <li>{@code phone_number_quality_update} THROUGHPUT_UPGRADE: the number (named by its display number,
 *       the registry's {@code display_phone_number}) runs at its {@code max_mps} from now on, no restart;
 *       an operator's explicit pace stays in force. Meta's upgrade minute (131057) is retried like any
 *       "retry later" answer. FLAGGED and DOWNGRADE: a warning. A new {@code max_daily_conversations_per_business}
 *       (or {@code current_limit}) holds the number's portfolio to it.</li>
 *   <li>{@code business_capability_update}: the account's portfolios are held to the new messaging limit
 *       ({@link PortfolioLimits}); the tier budget every sender of the portfolio applies follows it, since each
 *       claim carries the limit it was made under.</li>
 *   <li>{@code account_update} ACCOUNT_RESTRICTION of business-initiated messaging: every number of the
 *       account pauses until the restriction's expiration (then its campaigns go on by themselves);
 *       DISABLED_UPDATE with a ban state of DISABLE pauses them until REINSTATE;
 *       MM_LITE_TERMS_SIGNED: the account's numbers send marketing templates by the Marketing Messages
 *       API again.</li>
 * </ul>
 * Threading: called on the sender's event loop.
 */
public final class PlatformActions {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformActions.class);
    static final String BY = "platform";
    /** How long after a restriction's expiry its numbers resume. */
    static final java.time.Duration EXPIRY_GRACE = java.time.Duration.ofSeconds(2);

    private final ChannelRegistry registry;
    private final ChannelControl channels;
    /** Told each channel whose account accepted the Marketing Messages API terms. */
    private final Consumer<String> termsAccepted;
    private final PortfolioLimits limits;
    /** Told (field, action) of each action taken, for metrics. */
    private final BiConsumer<String, String> acted;
    private final Clock clock;

    /**
     * @param limits        where an announced messaging limit goes
     * @param termsAccepted told each channel whose account accepted the Marketing Messages API terms
     * @param acted         told (event field, action) of each action taken: {@code pace}, {@code warn},
     *                      {@code limit}, {@code pause}, {@code resume}, {@code route}
     */
    public PlatformActions(ChannelRegistry registry, ChannelControl channels, PortfolioLimits limits,
                           Consumer<String> termsAccepted, BiConsumer<String, String> acted, Clock clock) {
        this.registry = registry;
        this.channels = channels;
        this.limits = limits;
        this.termsAccepted = termsAccepted;
        this.acted = acted;
        this.clock = clock;
    }

    public void apply(PlatformEvent event) {
        if (event.field() == null) {
            return;
        }
        if (PlatformEvent.CAPABILITY.equals(event.field())) {
            limit(event, registry.all().stream().filter(c -> event.wabaId() != null
                    && event.wabaId().equals(c.wabaId())).toList(), event.detail("max_daily_conversations_per_business"),
                    event.detail("max_daily_conversation_per_phone"));
            return;
        }
        if (event.event() == null) {
            return;
        }
        switch (event.field()) {
            case PlatformEvent.PHONE_QUALITY -> number(event);
            case PlatformEvent.ACCOUNT_UPDATE -> account(event);
            default -> {
            }
        }
    }

    /** Holds the channels' portfolios to the limit the event announces (the first of {@code candidates} given). */
    private void limit(PlatformEvent event, List<Channel> named, String... candidates) {
        Integer limit = null;
        for (String candidate : candidates) {
            limit = limit != null ? limit : PortfolioLimits.parse(candidate);
        }
        if (limit == null) {
            return;
        }
        for (Channel channel : named) {
            if (limits.announce(channel.portfolio(), limit, channel.tier())) {
                LOG.info("portfolio {}: WhatsApp set its messaging limit to {} users a day ({}); channel {} and the "
                                + "portfolio's other numbers are held to it", channel.portfolio(),
                        limit == PortfolioLimits.UNLIMITED ? "unlimited" : limit, event.field(), channel.id());
                acted.accept(event.field(), "limit");
            }
        }
    }

    private void number(PlatformEvent event) {
        String display = event.subject().displayPhoneNumber();
        List<Channel> named = registry.all().stream().filter(c -> c.displayPhone() != null && display != null
                && c.displayPhone().equals(display.replaceAll("\\D", ""))).toList();
        for (Channel channel : named) {
            switch (event.event().toUpperCase(Locale.ROOT)) {
                case "THROUGHPUT_UPGRADE" -> upgrade(channel, event);
                case "FLAGGED", "DOWNGRADE" -> {
                    LOG.warn("channel {}: WhatsApp reports its quality {} (limit {}); its messaging limit may fall",
                            channel.id(), event.event(), limit(event.details()));
                    acted.accept(event.field(), "warn");
                }
                default -> LOG.info("channel {}: WhatsApp reports {}", channel.id(), event.event());
            }
        }
        limit(event, named, event.detail("max_daily_conversations_per_business"), event.detail("current_limit"));
    }

    /**
     * True when an operator decided the channel's state after the event: replayed at a sender's start, an old
     * event must not undo an operator's resume or pace. (A sender's own pause for the API's answer to the same
     * restriction, which often comes before the webhook, is replaced.)
     */
    private boolean superseded(ChannelCommand current, PlatformEvent event) {
        return "operator".equals(current.by()) && current.at() != null && !event.when().isAfter(current.at());
    }

    private void upgrade(Channel channel, PlatformEvent event) {
        ChannelCommand current = channels.current(channel.id());
        if (superseded(current, event)) {
            return;
        }
        if (current.mps() != null) {
            LOG.info("channel {}: WhatsApp upgraded its throughput; the operator's pace of {} mps stays",
                    channel.id(), current.mps());
            return;
        }
        if (channel.maxMps() <= channel.mps()) {
            LOG.info("channel {}: WhatsApp upgraded its throughput, but its max_mps is {}: raise it in the "
                    + "registry (on 360dialog 1,000 mps needs their High Throughput plan)", channel.id(), channel.maxMps());
            return;
        }
        LOG.info("channel {}: WhatsApp upgraded its throughput; pace raised from {} to {} mps", channel.id(),
                channel.mps(), channel.maxMps());
        channels.decide(channel.id(), current.withPace(channel.maxMps(), null));
        acted.accept(event.field(), "pace");
    }

    private void account(PlatformEvent event) {
        List<Channel> numbers = registry.all().stream().filter(c -> event.wabaId() != null
                && event.wabaId().equals(c.wabaId())).toList();
        Instant now = clock.instant();
        String kind = event.event().toUpperCase(Locale.ROOT);
        String restriction = event.detail("restriction_type");
        for (Channel channel : numbers) {
            ChannelCommand current = channels.current(channel.id());
            if (kind.equals("MM_LITE_TERMS_SIGNED")) {
                LOG.info("channel {}: account {} accepted the Marketing Messages API terms", channel.id(),
                        event.wabaId());
                termsAccepted.accept(channel.id());
                acted.accept(event.field(), "route");
                continue;
            }
            if (superseded(current, event)) {
                continue;
            }
            if (kind.equals("ACCOUNT_RESTRICTION") && restriction != null
                    && restriction.toUpperCase(Locale.ROOT).contains("BIZ_INITIATED")) {
                // Resumed a moment after the expiry: by our clock the platform's may not have passed it yet (368).
                Instant expiry = expiration(event);
                Instant until = expiry == null ? null : expiry.plus(EXPIRY_GRACE);
                if (until == null || until.isAfter(now)) {
                    channels.decide(channel.id(), current.paused("WhatsApp restricted account " + event.wabaId()
                            + " (" + restriction + ")" + (expiry == null ? "" : " until " + expiry)
                            + ": business-initiated messages cannot be sent", BY, now, until));
                    acted.accept(event.field(), "pause");
                }
            } else if (kind.equals("DISABLED_UPDATE") && banState(event.details(), "DISABLE")) {
                channels.decide(channel.id(), current.paused("WhatsApp disabled account " + event.wabaId()
                        + "; nothing can be sent until it is reinstated", BY, now, null));
                acted.accept(event.field(), "pause");
            } else if (kind.equals("DISABLED_UPDATE") && banState(event.details(), "REINSTATE")
                    && current.paused() && BY.equals(current.by())) {
                channels.decide(channel.id(), current.running("WhatsApp reinstated account " + event.wabaId(),
                        BY, now));
                acted.accept(event.field(), "resume");
            }
        }
    }

    private static Instant expiration(PlatformEvent event) {
        String at = event.detail("expiration_at");
        try {
            return at == null ? null : Instant.parse(at);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static boolean banState(Map<String, String> details, String state) {
        return details.entrySet().stream().anyMatch(e -> e.getKey().contains("ban_state")
                && e.getValue().toUpperCase(Locale.ROOT).contains(state) && !(state.equals("DISABLE")
                && e.getValue().toUpperCase(Locale.ROOT).contains("REINSTATE")));
    }

    private static String limit(Map<String, String> details) {
        return details.getOrDefault("current_limit", details.getOrDefault("max_daily_conversations_per_business",
                "unknown"));
    }
}
