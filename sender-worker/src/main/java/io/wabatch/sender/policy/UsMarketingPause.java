package io.wabatch.sender.policy;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.wabatch.common.channel.Channel;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.control.CampaignPolicy;
import java.time.Instant;

/**
 * Meta's pause of marketing templates to US numbers as a dated switch: since {@link #SINCE} the API
 * does not deliver them (they fail with 131049), so a channel whose registry entry keeps
 * {@code us_marketing_pause} on (the default) skips them before any API call. A US number is one that
 * libphonenumber places in region {@code US}: +1 with a US area code, not Canada, the Caribbean or the
 * US territories with regions of their own (Puerto Rico, Guam, ...). Pure.
 */
public final class UsMarketingPause {

    /** The result code of a message the rule skipped. */
    public static final String CODE = "us_marketing_pause";
    /** When Meta stopped delivering marketing templates to US numbers. */
    public static final Instant SINCE = Instant.parse("2025-04-01T00:00:00Z");
    private static final String TITLE = "US marketing pause";

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private UsMarketingPause() {
    }

    /** True when {@code phoneDigits} (E.164 without '+') is a US number. */
    public static boolean usNumber(String phoneDigits) {
        if (phoneDigits == null || !phoneDigits.startsWith("1")) {
            return false;
        }
        try {
            return "US".equals(PHONES.getRegionCodeForNumber(PHONES.parse("+" + phoneDigits, "ZZ")));
        } catch (NumberParseException e) {
            return false;
        }
    }

    /** True when the channel keeps the rule on, the pause is in force at {@code now}, and the job is a template to a US number. */
    public static boolean covers(Channel channel, ReadyJob job, Instant now) {
        return channel.business().usMarketingPause() && !now.isBefore(SINCE)
                && "template".equals(job.message().path("type").asText()) && usNumber(job.to());
    }

    /** True when the rule skips the job: it {@link #covers} it and its campaign's category is marketing. */
    public static boolean skips(Channel channel, CampaignPolicy campaign, ReadyJob job, Instant now) {
        return campaign.marketing() && covers(channel, job, now);
    }

    /** The refusal of a job the rule {@link #skips}: it was not sent. */
    public static MessagingPolicy.Decision.Refuse refusal(Channel channel) {
        return new MessagingPolicy.Decision.Refuse(CODE, TITLE, "Meta does not deliver marketing templates to US "
                + "numbers since " + day() + " (the API answers 131049), so it was not sent; " + remedy(channel));
    }

    /**
     * The outcome of a template to a US number that the API held back (131049) while the rule is on: Meta
     * took it for marketing, and the resend a day later that 131049 otherwise gets could not help.
     */
    public static MessagingPolicy.Decision.Refuse heldBack(Channel channel) {
        return new MessagingPolicy.Decision.Refuse(CODE, TITLE, "the API held back this template to a US number "
                + "(131049): Meta treats it as marketing, which it does not deliver to US numbers since " + day()
                + ", so it is not resent a day later; " + remedy(channel));
    }

    private static String day() {
        return SINCE.toString().substring(0, 10);
    }

    private static String remedy(Channel channel) {
        return "send a utility template if the message is transactional (a campaign published with --category "
                + "utility), or set us_marketing_pause: false for channel " + channel.id()
                + " in the channel registry once Meta lifts the pause";
    }
}
