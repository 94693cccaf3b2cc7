package io.wabatch.sender.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.wabatch.common.api.ApiEndpoint;
import io.wabatch.common.channel.Channel;
import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.control.ChannelCommand;
import io.wabatch.common.secret.Secret;
import io.wabatch.sender.pace.AdaptivePace;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChannelControlTest {

    private static final Channel CHANNEL = new Channel("acme", ApiEndpoint.d360(URI.create("http://127.0.0.1:9"),
            Secret.of("key")), null, 0, 80, Channel.DEFAULT_HEADROOM, 1, Channel.DEFAULT_UPLOAD_RATE);

    private final Vertx vertx = Vertx.vertx();
    private final List<ChannelCommand> published = new ArrayList<>();
    private final ChannelControl control = new ChannelControl(vertx, ChannelRegistry.of(List.of(CHANNEL)),
            new AdaptivePace(vertx, List.of(CHANNEL), new AdaptivePace.Settings(0.95, Duration.ofSeconds(1),
                    Duration.ofSeconds(1), 0.05, 0.1)),
            channel -> null, (channel, command) -> published.add(command),
            new ChannelControl.Settings(Duration.ofMinutes(1), Duration.ZERO), Clock.systemUTC());

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aRefusalDuringThePlatformsTimedRestrictionKeepsItsEnd() {
        Instant until = Instant.now().plusSeconds(30);
        control.decide(CHANNEL.id(), ChannelCommand.initial().paused("WhatsApp restricted account",
                PlatformActions.BY, Instant.now(), until));

        control.pauseChannel(CHANNEL.id(), "368 restricted: an answer to a message in flight when the pause came");

        assertThat(control.current(CHANNEL.id()).until()).as("still ends with the restriction").isEqualTo(until);
        assertThat(control.current(CHANNEL.id()).by()).isEqualTo(PlatformActions.BY);
        assertThat(published).hasSize(1);
    }

    @Test
    void aRefusalAfterATimedPauseOfAnotherKindPausesUntilResumed() {
        control.decide(CHANNEL.id(), ChannelCommand.initial().paused("WABA call-rate limit", ChannelControl.SENDER,
                Instant.now(), Instant.now().plusSeconds(30)));

        control.pauseChannel(CHANNEL.id(), "401 bad credential");

        assertThat(control.current(CHANNEL.id()).until()).as("open-ended").isNull();
        assertThat(control.paused(CHANNEL.id())).isTrue();
    }

    @Test
    void aRefusalAfterTheRestrictionExpiredPausesUntilResumed() {
        control.apply(CHANNEL.id(), ChannelCommand.initial().paused("WhatsApp restricted account",
                PlatformActions.BY, Instant.now().minusSeconds(60), Instant.now().minusSeconds(1)));

        control.pauseChannel(CHANNEL.id(), "368 restricted again");

        assertThat(control.current(CHANNEL.id()).until()).isNull();
        assertThat(control.current(CHANNEL.id()).by()).isEqualTo(ChannelControl.SENDER);
    }
}
