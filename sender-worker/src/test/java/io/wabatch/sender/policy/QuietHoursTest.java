package io.wabatch.sender.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabatch.common.control.CampaignPolicy;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class QuietHoursTest {

    private static final CampaignPolicy NIGHTS = new CampaignPolicy("marketing", "21:00", "08:00", null);

    @Test
    void aGermanNumberIsQuietAtNightInBerlinAndResumesAtEightLocalTime() {
        // 22:30 in Berlin (CET, UTC+1) on 2026-12-07
        Instant late = Instant.parse("2026-12-07T21:30:00Z");
        assertThat(QuietHours.resumeAt(NIGHTS, "4915123456789", late)).isEqualTo(Instant.parse("2026-12-08T07:00:00Z"));
        assertThat(QuietHours.resumeAt(NIGHTS, "4915123456789", Instant.parse("2026-12-07T12:00:00Z"))).isNull();
        // 07:59:59 local: one second to go
        assertThat(QuietHours.resumeAt(NIGHTS, "4915123456789", Instant.parse("2026-12-07T06:59:59Z")))
                .isEqualTo(Instant.parse("2026-12-07T07:00:00Z"));
    }

    @Test
    void theCampaignsZoneOverridesTheCountryCode() {
        CampaignPolicy tokyo = new CampaignPolicy("marketing", "21:00", "08:00", "Asia/Tokyo");
        // 12:00 UTC = 21:00 in Tokyo, noon in Berlin
        Instant noonUtc = Instant.parse("2026-12-07T12:00:00Z");
        assertThat(QuietHours.resumeAt(NIGHTS, "4915123456789", noonUtc)).isNull();
        assertThat(QuietHours.resumeAt(tokyo, "4915123456789", noonUtc)).isEqualTo(Instant.parse("2026-12-07T23:00:00Z"));
    }

    @Test
    void aCountryWithSeveralZonesIsQuietWhileAnyOfThemIs() {
        assertThat(QuietHours.zonesOf("12025550123")).contains(ZoneId.of("America/New_York"), ZoneId.of("America/Los_Angeles"));
        // 13:30 UTC: 08:30 in New York, 05:30 in Los Angeles: still night in the west
        Instant morningEast = Instant.parse("2026-12-07T13:30:00Z");
        Instant resumes = QuietHours.resumeAt(NIGHTS, "12025550123", morningEast);
        assertThat(resumes).isNotNull().isAfterOrEqualTo(Instant.parse("2026-12-07T16:00:00Z"));
        assertThat(QuietHours.resumeAt(NIGHTS, "12025550123", resumes)).as("nowhere quiet then").isNull();
    }

    @Test
    void daytimeQuietHoursAndNoQuietHours() {
        CampaignPolicy lunch = new CampaignPolicy("marketing", "12:00", "13:00", "UTC");
        assertThat(QuietHours.resumeAt(lunch, "4915123456789", Instant.parse("2026-12-07T12:30:00Z")))
                .isEqualTo(Instant.parse("2026-12-07T13:00:00Z"));
        assertThat(QuietHours.resumeAt(lunch, "4915123456789", Instant.parse("2026-12-07T13:00:00Z"))).isNull();
        assertThat(QuietHours.resumeAt(CampaignPolicy.DEFAULT, "4915123456789", Instant.now())).isNull();
    }
}
