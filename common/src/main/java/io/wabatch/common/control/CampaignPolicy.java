package io.wabatch.common.control;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Set;

/**
 * A campaign's messaging rules, set by {@code wabatch campaign publish} in its {@code wa.control}
 * record and applied by every sender before any API call.
 *
 * @param category   WhatsApp's pricing category of its messages: {@code marketing} (the default:
 *                   opted-out recipients are suppressed), {@code utility}, {@code authentication}
 *                   or {@code service}
 * @param quietStart start of the quiet hours in the recipient's local time ({@code "21:00"}), or null
 * @param quietEnd   their end ({@code "08:00"}; before the start means they span midnight)
 * @param timeZone   an IANA zone overriding the one derived from each recipient's country code, or null
 * @param sendBefore the campaign's deadline, or null: a message is sent only strictly before it, and a job
 *                   not sent by then ends {@code expired}, however it waited (a pause, quiet hours, the tier,
 *                   a retry); a job's own {@code not_after}, when earlier, still applies
 * @param overCap    what a marketing template over its portfolio's per-user marketing cap does:
 *                   {@value #WAIT} (the default: it waits until the user's oldest counted template leaves the
 *                   window) or {@value #SKIP} (it ends {@code failed} with {@code marketing_cap})
 * @param template   the template the campaign sends, or null (not a template campaign, or published before
 *                   wabatch recorded it): a template the platform pauses pauses the campaign
 */
public record CampaignPolicy(String category, String quietStart, String quietEnd, String timeZone,
                             Instant sendBefore, String overCap, Template template) {

    /**
     * The campaign's template.
     *
     * @param name             its name
     * @param language         its language code
     * @param resumeOnApproval    when the platform approves it again after a pause that paused the campaign, the
     *                            campaign resumes by itself (default: it stays paused for an operator)
     * @param allowCategoryChange when the platform changes its category to marketing and the campaign declared
     *                            another, the campaign goes on (warned) instead of pausing
     */
    public record Template(String name, String language, boolean resumeOnApproval, boolean allowCategoryChange) {

        /** A template whose campaign pauses when the platform makes it marketing. */
        public Template(String name, String language, boolean resumeOnApproval) {
            this(name, language, resumeOnApproval, false);
        }

        /** The key campaigns and template events meet under: {@code <name>/<language>}. */
        public String key() {
            return name + "/" + language;
        }
    }

    public static final String MARKETING = "marketing";
    public static final Set<String> CATEGORIES = Set.of(MARKETING, "utility", "authentication", "service");
    public static final String WAIT = "wait";
    public static final String SKIP = "skip";
    public static final CampaignPolicy DEFAULT = new CampaignPolicy(MARKETING, null, null, null, null, WAIT, null);

    /** A policy without a deadline. */
    public CampaignPolicy(String category, String quietStart, String quietEnd, String timeZone) {
        this(category, quietStart, quietEnd, timeZone, null, WAIT, null);
    }

    /** A policy whose templates over the marketing cap wait. */
    public CampaignPolicy(String category, String quietStart, String quietEnd, String timeZone, Instant sendBefore) {
        this(category, quietStart, quietEnd, timeZone, sendBefore, WAIT, null);
    }

    /** A policy without a recorded template. */
    public CampaignPolicy(String category, String quietStart, String quietEnd, String timeZone, Instant sendBefore,
                          String overCap) {
        this(category, quietStart, quietEnd, timeZone, sendBefore, overCap, null);
    }

    /**
     * @throws IllegalArgumentException for an unknown category, a malformed time, half of the quiet hours,
     *                                  or an unknown zone
     */
    public CampaignPolicy {
        category = category == null ? MARKETING : category.toLowerCase(Locale.ROOT);
        if (!CATEGORIES.contains(category)) {
            throw new IllegalArgumentException("category must be one of " + CATEGORIES + ", got '" + category + "'");
        }
        if ((quietStart == null) != (quietEnd == null)) {
            throw new IllegalArgumentException("quiet hours need a start and an end, e.g. 21:00-08:00");
        }
        if (quietStart != null) {
            LocalTime.parse(quietStart);
            LocalTime.parse(quietEnd);
        }
        if (timeZone != null) {
            ZoneId.of(timeZone);
        }
        overCap = overCap == null ? WAIT : overCap.toLowerCase(Locale.ROOT);
        if (!WAIT.equals(overCap) && !SKIP.equals(overCap)) {
            throw new IllegalArgumentException("over the marketing cap a template may 'wait' or 'skip', got '"
                    + overCap + "'");
        }
    }

    /** The same rules for messages of {@code newCategory}. */
    public CampaignPolicy withCategory(String newCategory) {
        return new CampaignPolicy(newCategory, quietStart, quietEnd, timeZone, sendBefore, overCap, template);
    }

    /** True when a marketing template over the per-user cap ends at once instead of waiting. */
    public boolean skipsOverCap() {
        return SKIP.equals(overCap);
    }

    public boolean marketing() {
        return MARKETING.equals(category);
    }

    public boolean hasQuietHours() {
        return quietStart != null;
    }

    /** True when the campaign has a deadline and {@code now} is at or past it: nothing may be sent any more. */
    public boolean pastDeadline(Instant now) {
        return sendBefore != null && !now.isBefore(sendBefore);
    }
}
