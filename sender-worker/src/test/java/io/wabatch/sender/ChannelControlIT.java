package io.wabatch.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wabatch.common.control.ChannelCommand;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Outcome;
import io.wabatch.sandbox.api.Storm;
import io.wabatch.sandbox.api.stats.AcceptedMessage;
import io.wabatch.sandbox.api.stats.StatsSnapshot;
import io.wabatch.sandbox.kafka.KafkaTestBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Channel states through {@code wa.control}: a WABA-wide rate limit pauses every channel of the
 * WABA for a while, the channel pace changes without restart, and a channel the API refused comes
 * back by itself once the probe sees the API accept it.
 */
@Timeout(120)
@Tag("slow")
class ChannelControlIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aWabaRateLimitPausesEveryChannelOfTheWabaForAWhileAndThenAllIsSent() throws Exception {
        TestChannel first = TestChannel.d360("waba-a", 0, 100).inWaba("waba-1");
        TestChannel second = TestChannel.meta("waba-b", 1, 100).inWaba("waba-1");
        try (SenderStack stack = SenderStack.create("waba", List.of(first, second))) {
            stack.startSender(Map.of("channel.waba.pause.ms", "1500"));
            stack.publish(ReadyJobs.texts("warm", first.id(), 1, 20));
            stack.outputs().awaitResults("warm", 20, WAIT);
            stack.sandbox.startStorm(new Storm(first.numberId(), Duration.ofMillis(300), 80007, 400));
            stack.publish(ReadyJobs.texts("a", first.id(), 2, 200));
            stack.publish(ReadyJobs.texts("b", second.id(), 3, 200));

            Map<String, JobResult> a = stack.outputs().awaitResults("a", 200, WAIT);
            Map<String, JobResult> b = stack.outputs().awaitResults("b", 200, WAIT);
            assertThat(a.values()).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED));
            assertThat(b.values()).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED));
            assertThat(stack.stats(first.id()).faults("storm")).as("the limit was hit").isPositive();

            for (TestChannel channel : List.of(first, second)) {
                ChannelCommand pause = commands(stack, channel.id()).stream().filter(ChannelCommand::paused)
                        .findFirst().orElseThrow(() -> new AssertionError("no pause of " + channel.id()));
                assertThat(pause.by()).isEqualTo("sender");
                assertThat(pause.reason()).contains("80007");
                assertThat(Duration.between(pause.at(), pause.until())).isEqualTo(Duration.ofMillis(1500));
                // Requests already on the wire when the pause began may land just after it.
                long quietFrom = pause.at().toEpochMilli() + 200;
                long quietTo = pause.until().toEpochMilli() - 50;
                assertThat(stack.sandbox.messages(channel.numberId())).as("nothing sent on %s while paused", channel.id())
                        .noneMatch(m -> m.receivedAtMs() > quietFrom && m.receivedAtMs() < quietTo);
            }
            assertThat(stack.stats(first.id()).duplicates()).isZero();
            assertThat(stack.stats(second.id()).duplicates()).isZero();
            assertThat(stack.outputs().deadLetters()).isEmpty();
        }
    }

    @Test
    void paceAndHeadroomChangeThroughWaControlWithoutRestart() throws Exception {
        TestChannel channel = TestChannel.d360("repace", 0, 100);
        try (SenderStack stack = SenderStack.create("repace", List.of(channel));
             KafkaProducer<byte[], byte[]> control = producer()) {
            stack.startSender(Map.of());
            stack.publish(ReadyJobs.texts("pace", channel.id(), 1, 700));
            await("sending at the registry's pace").atMost(WAIT).until(() -> stack.stats(channel.id()).accepted() > 100);

            control.send(ChannelCommand.initial().withPace(30, 1.0)
                    .toRecord(stack.topics.control(), channel.id())).get();
            long slowFrom = Instant.now().getEpochSecond() + 2;
            await("slowed down").atMost(WAIT).until(() -> Instant.now().getEpochSecond() >= slowFrom + 4);
            long slowTo = Instant.now().getEpochSecond() - 1;
            control.send(ChannelCommand.initial().withPace(null, null)
                    .toRecord(stack.topics.control(), channel.id())).get();

            Map<String, JobResult> results = stack.outputs().awaitResults("pace", 700, WAIT);
            assertThat(results.values()).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED));
            StatsSnapshot stats = stack.stats(channel.id());
            List<Long> slow = stats.perSecond().stream().filter(s -> s.second() >= slowFrom && s.second() <= slowTo)
                    .map(StatsSnapshot.Second::accepted).toList();
            assertThat(slow).as("seconds at the overridden pace of 30: never above it").hasSizeGreaterThanOrEqualTo(3)
                    .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(30L));
            assertThat(slow.stream().mapToLong(Long::longValue).average().orElse(0))
                    .as("and close to it on average").isGreaterThanOrEqualTo(24);
            List<Long> after = stats.perSecond().stream().filter(s -> s.second() > slowTo + 2)
                    .map(StatsSnapshot.Second::accepted).toList();
            assertThat(after.stream().mapToLong(Long::longValue).max().orElse(0))
                    .as("back to the registry's pace (98) after the reset").isGreaterThan(80);
            assertThat(stats.rejectedByCode()).isEmpty();
        }
    }

    @Test
    void aChannelPausedForAnApiErrorResumesWhenTheProbeSucceeds() throws Exception {
        TestChannel channel = TestChannel.meta("probe", 0, 100);
        try (SenderStack stack = SenderStack.create("probe", List.of(channel))) {
            stack.startSender(Map.of("channel.probe.interval.ms", "300"));
            // 131031 (account locked) on /messages until the channel is paused; the probe's authenticated GET
            // is answered normally throughout, so the probe resumes the channel once the storm is over.
            stack.sandbox.startStorm(new Storm(channel.numberId(), Duration.ofSeconds(60), 131031, 403));
            stack.publish(ReadyJobs.texts("probe", channel.id(), 1, 50));
            await("paused").atMost(WAIT).until(() -> commands(stack, channel.id()).stream().anyMatch(ChannelCommand::paused));
            stack.sandbox.stopStorms();

            Map<String, JobResult> results = stack.outputs().awaitResults("probe", 50, WAIT);
            assertThat(results.values()).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED));
            assertThat(stack.stats(channel.id()).faults("storm")).as("the API refused the channel").isPositive();
            await("a resume in wa.control").atMost(WAIT).until(() -> commands(stack, channel.id()).stream()
                    .anyMatch(c -> !c.paused()));
            List<ChannelCommand> commands = commands(stack, channel.id());
            assertThat(commands).as("paused by the sender, resumed by the probe")
                    .anySatisfy(c -> {
                        assertThat(c.paused()).isTrue();
                        assertThat(c.by()).isEqualTo("sender");
                        assertThat(c.reason()).contains("131031");
                    })
                    .anySatisfy(c -> {
                        assertThat(c.paused()).isFalse();
                        assertThat(c.by()).isEqualTo("probe");
                    });
            assertThat(stack.stats(channel.id()).accepted()).isEqualTo(50);
            assertThat(stack.outputs().deadLetters()).isEmpty();
        }
    }

    @Test
    void aChannelWithARefusedCredentialStaysPausedWhileTheProbeIsRefused() throws Exception {
        // The sandbox knows the number with another token: every call, the probe's included, gets 401/190.
        TestChannel channel = TestChannel.meta("refused", 0, 100).withRevokedCredential();
        TestChannel other = TestChannel.d360("other", 1, 100);
        try (SenderStack stack = SenderStack.create("refused", List.of(channel, other))) {
            stack.startSender(Map.of("channel.probe.interval.ms", "200", "window.records", "20"));
            stack.publish(ReadyJobs.texts("refused", channel.id(), 1, 100));
            await("paused").atMost(WAIT).until(() -> commands(stack, channel.id()).stream().anyMatch(ChannelCommand::paused));
            stack.publish(ReadyJobs.texts("other", other.id(), 2, 300));

            Map<String, JobResult> others = stack.outputs().awaitResults("other", 300, WAIT);
            assertThat(others.values()).as("the other channel gets the whole window while this one waits")
                    .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED));
            assertThat(stack.outputs().byJob("refused")).as("nothing failed or lost while paused").isEmpty();
            double refusedBefore = probes(stack, channel, "refused");
            await("the probe keeps asking and is refused").atMost(WAIT)
                    .until(() -> probes(stack, channel, "refused") >= refusedBefore + 2);
            assertThat(probes(stack, channel, "accepted")).isZero();
            assertThat(commands(stack, channel.id())).as("no probe resumed it").noneMatch(c -> !c.paused());
            assertThat(stack.outputs().byJob("refused")).isEmpty();
            List<AcceptedMessage> sent = stack.sandbox.messages(channel.numberId());
            assertThat(sent).isEmpty();
        }
    }

    private static double probes(SenderStack stack, TestChannel channel, String result) {
        var counter = stack.meters.find("wabatch.sender.channel.probes").tags("channel", channel.id(), "result", result)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static List<ChannelCommand> commands(SenderStack stack, String channel) {
        return stack.outputs().controlRecords().stream()
                .filter(r -> channel.equals(ChannelCommand.channelOf(r.key())))
                .map(ConsumerRecord::value).map(ChannelCommand::read).toList();
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
