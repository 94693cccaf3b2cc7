package io.wabatch.sender.send;

import io.wabatch.common.api.ApiError;
import io.wabatch.common.channel.Channel;
import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.control.CampaignPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which endpoint a message goes to (whatsapp-api-facts §10): a marketing campaign's template on a
 * Meta number with {@code marketing_messages} in the registry goes by the Marketing Messages API
 * ({@code /marketing_messages}); everything else by {@code /messages}. When the API answers that the
 * business has not accepted the Marketing Messages API's terms, the number falls back: that message
 * is sent again at once by {@code /messages}, and so are the number's marketing templates until
 * {@code retry} has passed; then the Marketing Messages API is tried again. On 360dialog,
 * {@code /messages} itself routes marketing templates through it, so the registry refuses the switch there.
 */
public final class MarketingRoute {

    private static final Logger LOG = LoggerFactory.getLogger(MarketingRoute.class);
    /**
     * The terms answer: {@code (#200) You must accept the Marketing Messages Lite API terms to use the
     * API.} (a permission error, code 200).
     */
    static final int TERMS_NOT_ACCEPTED = 200;
    /**
     * "Method not allowed" (131055): the Marketing Messages API does not take this template (it is not a
     * marketing template, whatever the campaign says); the message itself goes by {@code /messages}.
     */
    static final int NOT_ALLOWED = 131055;

    private final ChannelRegistry registry;
    private final Duration retry;
    private final Clock clock;
    private final Map<String, Instant> fallenBackUntil = new ConcurrentHashMap<>();

    /**
     * @param registry the channels and their {@code marketing_messages} switch
     * @param retry    how long a number whose business has not accepted the terms uses {@code /messages}
     */
    public MarketingRoute(ChannelRegistry registry, Duration retry, Clock clock) {
        this.registry = registry;
        this.retry = retry;
        this.clock = clock;
    }

    /** True when {@code job} goes by the Marketing Messages API now. */
    boolean marketing(ReadyJob job, CampaignPolicy campaign) {
        Channel channel = registry.get(job.channel());
        if (channel == null || !channel.business().marketingMessages() || !campaign.marketing()
                || !"template".equals(job.type())) {
            return false;
        }
        Instant until = fallenBackUntil.get(channel.id());
        if (until == null) {
            return true;
        }
        if (clock.instant().isBefore(until)) {
            return false;
        }
        if (fallenBackUntil.remove(channel.id(), until)) {
            LOG.info("channel {}: trying the Marketing Messages API again", channel.id());
        }
        return true;
    }

    /**
     * What a refusal by the Marketing Messages API means for the route: nothing (the message's own
     * error); this message goes by {@code /messages} ({@value #NOT_ALLOWED}); or the number falls back
     * to {@code /messages} until the retry time, this message included (the terms answer).
     *
     * @return true when the message is to be sent again, at once, by {@code /messages}
     */
    boolean fallBack(String channel, ApiError error) {
        if (error == null || error.code() == null) {
            return false;
        }
        if (error.code() == NOT_ALLOWED) {
            LOG.debug("channel {}: the Marketing Messages API does not take this template; sent by /messages", channel);
            return true;
        }
        if (error.code() != TERMS_NOT_ACCEPTED) {
            return false;
        }
        Instant until = clock.instant().plus(retry);
        if (fallenBackUntil.put(channel, until) == null) {
            LOG.warn("channel {}: the Marketing Messages API refused ({}): its business has not accepted the terms; "
                    + "marketing templates go by /messages until {}", channel, error.code(), until);
        }
        return true;
    }

    /** The business accepted the terms (an {@code account_update} webhook says so): use the API again now. */
    public void termsAccepted(String channel) {
        fallenBackUntil.remove(channel);
    }
}
