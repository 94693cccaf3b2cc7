package io.wabatch.sender.pace;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

class ChannelGateTest {

    @Test
    void pausedChannelsHoldTheirMessagesUntilResumedOthersPass() {
        ChannelGate gate = new ChannelGate();
        assertThat(gate.await("a").succeeded()).isTrue();
        assertThat(gate.pause("a", "HTTP 401 (#190) invalid token")).isTrue();
        assertThat(gate.pause("a", "again")).as("already paused").isFalse();
        Future<Void> first = gate.await("a");
        Future<Void> second = gate.await("a");
        assertThat(gate.await("b").succeeded()).as("other channels are not affected").isTrue();
        assertThat(first.isComplete() || second.isComplete()).isFalse();
        assertThat(gate.waiting("a")).isEqualTo(2);
        assertThat(gate.reason("a")).isEqualTo("again");

        gate.resume("a");
        assertThat(first.succeeded() && second.succeeded()).isTrue();
        assertThat(gate.paused("a")).isFalse();
        assertThat(gate.await("a").succeeded()).isTrue();
    }
}
