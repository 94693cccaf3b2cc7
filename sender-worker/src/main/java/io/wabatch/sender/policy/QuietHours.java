package io.wabatch.sender.policy;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.ibm.icu.util.TimeZone;
import io.wabatch.common.control.CampaignPolicy;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A campaign's quiet hours in the recipient's local time. The zone comes from the campaign's
 * override, else from the number's country (libphonenumber's region, ICU's zones of that region).
 * A country spanning several zones is quiet while it is quiet in any of them, so nobody is messaged
 * at night; a campaign to such a country that wants more sending time names its zone. Pure.
 */
public final class QuietHours {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final Map<String, List<ZoneId>> ZONES_BY_REGION = new ConcurrentHashMap<>();
    /** Steps when zones disagree: enough for any country's spread. */
    private static final int MAX_STEPS = 8;

    private QuietHours() {
    }

    /** When the quiet hours that hold at {@code now} end, or null when the message may go now. */
    public static Instant resumeAt(CampaignPolicy policy, String phoneDigits, Instant now) {
        if (!policy.hasQuietHours()) {
            return null;
        }
        LocalTime start = LocalTime.parse(policy.quietStart());
        LocalTime end = LocalTime.parse(policy.quietEnd());
        List<ZoneId> zones = policy.timeZone() != null ? List.of(ZoneId.of(policy.timeZone())) : zonesOf(phoneDigits);
        Instant at = now;
        for (int step = 0; step < MAX_STEPS; step++) {
            Instant latestEnd = null;
            for (ZoneId zone : zones) {
                Instant ends = endOfQuiet(at, zone, start, end);
                if (ends != null && (latestEnd == null || ends.isAfter(latestEnd))) {
                    latestEnd = ends;
                }
            }
            if (latestEnd == null) {
                return at.equals(now) ? null : at;
            }
            at = latestEnd;
        }
        // The zones leave no common time outside the quiet hours: follow the first one.
        Instant ends = endOfQuiet(now, zones.get(0), start, end);
        return ends;
    }

    /** The end of the quiet period containing {@code at} in {@code zone}, or null when {@code at} is not quiet. */
    static Instant endOfQuiet(Instant at, ZoneId zone, LocalTime start, LocalTime end) {
        ZonedDateTime local = at.atZone(zone);
        LocalTime time = local.toLocalTime();
        boolean overnight = end.isBefore(start) || end.equals(start);
        boolean quiet = overnight ? !time.isBefore(start) || time.isBefore(end)
                : !time.isBefore(start) && time.isBefore(end);
        if (!quiet) {
            return null;
        }
        ZonedDateTime ending = local.with(end);
        if (!ending.isAfter(local)) {
            ending = ending.plusDays(1).with(end);
        }
        return ending.toInstant();
    }

    /** The zones of the number's country (UTC when it cannot be told). */
    static List<ZoneId> zonesOf(String phoneDigits) {
        String region;
        try {
            region = PHONES.getRegionCodeForNumber(PHONES.parse("+" + phoneDigits, "ZZ"));
        } catch (NumberParseException e) {
            region = null;
        }
        if (region == null || region.equals("ZZ") || region.equals("001")) {
            return List.of(ZoneId.of("UTC"));
        }
        return ZONES_BY_REGION.computeIfAbsent(region, r -> {
            List<ZoneId> zones = new ArrayList<>();
            for (String id : TimeZone.getAvailableIDs(TimeZone.SystemTimeZoneType.CANONICAL_LOCATION, r, null)) {
                try {
                    zones.add(ZoneId.of(id));
                } catch (RuntimeException unknownToJava) {
                    // ICU knows a zone this JDK does not: skip it
                }
            }
            return zones.isEmpty() ? List.of(ZoneId.of("UTC")) : List.copyOf(zones);
        });
    }
}
