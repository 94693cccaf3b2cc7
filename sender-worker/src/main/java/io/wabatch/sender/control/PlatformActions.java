package io.wabatch.sender.control;

import io.wabatch.common.channel.Channel;
import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.contract.PlatformEvent;
import io.wabatch.common.control.ChannelCommand;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 *       "retry later" answer. FLAGGED and DOWNGRADE: a warning.</li>
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
    private final Clock clock;

    /** @param termsAccepted told each channel whose account accepted the Marketing Messages API terms */
    public PlatformActions(ChannelRegistry registry, ChannelControl channels, Consumer<String> termsAccepted,
                           Clock clock) {
        this.registry = registry;
        this.channels = channels;
        this.termsAccepted = termsAccepted;
        this.clock = clock;
    }

    public void apply(PlatformEvent event) {
        if (event.event() == null || event.field() == null) {
            return;
        }
        switch (event.field()) {
            case PlatformEvent.PHONE_QUALITY -> number(event);
            case PlatformEvent.ACCOUNT_UPDATE -> account(event);
            default -> {
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
                case "FLAGGED", "DOWNGRADE" -> LOG.warn("channel {}: WhatsApp reports its quality {} (limit {}); "
                        + "its messaging limit may fall", channel.id(), event.event(), limit(event.details()));
                default -> LOG.info("channel {}: WhatsApp reports {}", channel.id(), event.event());
            }
        }
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
                }
            } else if (kind.equals("DISABLED_UPDATE") && banState(event.details(), "DISABLE")) {
                channels.decide(channel.id(), current.paused("WhatsApp disabled account " + event.wabaId()
                        + "; nothing can be sent until it is reinstated", BY, now, null));
            } else if (kind.equals("DISABLED_UPDATE") && banState(event.details(), "REINSTATE")
                    && current.paused() && BY.equals(current.by())) {
                channels.decide(channel.id(), current.running("WhatsApp reinstated account " + event.wabaId(),
                        BY, now));
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
