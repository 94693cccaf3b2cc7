package io.wabatch.sender.pace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wabatch.common.api.ApiEndpoint;
import io.wabatch.common.channel.Channel;
import io.wabatch.common.secret.Secret;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class InboundRateTest {

    private static final Instant T0 = Instant.parse("2026-12-08T10:00:00Z");
    private static final URI BASE = URI.create("https://x.example");
    private static final Channel META = new Channel("meta", ApiEndpoint.meta(BASE, "v23.0", "1065", Secret.of("t")),
            null, 0, 80, Channel.DEFAULT_HEADROOM, 1, 25);
    private static final Channel D360_WITH_ID = new Channel("d360", new ApiEndpoint(
            io.wabatch.common.api.Provider.D360, BASE, null, "3600", Secret.of("k")), null, 1, 80, 0.98, 1, 25);
    private static final Channel D360_WITHOUT_ID = new Channel("blind", ApiEndpoint.d360(BASE, Secret.of("k2")), null,
            2, 80, 0.98, 1, 25);

    private final MutableClock clock = new MutableClock();
    private final InboundRate rate = new InboundRate(List.of(META, D360_WITH_ID, D360_WITHOUT_ID),
            Duration.ofSeconds(10), clock);

    @Test
    void aSteadyStreamIsMeasuredAtItsRatePerChannelOfTheNumberItNames() {
        // 20 a second to the Meta number for 30 s, 5 a second to the 360dialog one, each read as it arrives.
        for (int ms = 0; ms < 30_000; ms += 50) {
            clock.now = T0.plusMillis(ms);
            assertThat(rate.record("1065", clock.now)).isTrue();
            if (ms % 200 == 0) {
                rate.record("3600", clock.now);
            }
        }
        assertThat(rate.perSecond("meta")).isCloseTo(20.0, within(0.3));
        assertThat(rate.perSecond("d360")).isCloseTo(5.0, within(0.2));
        assertThat(rate.perSecond("blind")).isZero();
        assertThat(rate.follows("blind")).as("no phone_number_id: its messages cannot be told apart").isFalse();
        assertThat(rate.record("9999", clock.now)).as("another business's number").isFalse();
    }

    @Test
    void messagesLeaveTheRateOnceOlderThanTheWindow() {
        clock.now = T0;
        for (int i = 0; i < 100; i++) {
            rate.record("1065", T0.minusMillis(i * 10L));
        }
        assertThat(rate.perSecond("meta")).isCloseTo(10.0, within(0.2));
        clock.now = T0.plusSeconds(5);
        assertThat(rate.perSecond("meta")).isCloseTo(10.0, within(0.2));
        clock.now = T0.plusSeconds(11);
        assertThat(rate.perSecond("meta")).as("the inbound traffic stopped a window ago").isZero();
    }

    @Test
    void aSenderStartingOnADayOfHistoryCountsOnlyTheLastWindowAndTakesTheFutureAsNow() {
        clock.now = T0;
        for (int minutes = 1; minutes < 24 * 60; minutes++) {
            assertThat(rate.record("1065", T0.minus(Duration.ofMinutes(minutes)))).isFalse();
        }
        assertThat(rate.record("1065", T0.plusSeconds(3))).as("the receiver's clock runs ahead").isTrue();
        assertThat(rate.record("1065", null)).isFalse();
        assertThat(rate.perSecond("meta")).isCloseTo(0.1, within(0.01));
    }

    private static final class MutableClock extends Clock {
        Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
