package io.wabatch.ops.cli;

import io.wabatch.common.control.ChannelCommand;
import io.wabatch.common.control.ControlListener;
import io.wabatch.common.kafka.TopicNames;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wabatch channel pause|resume|pace <id>}: sets a channel's desired state in {@code wa.control}.
 * Each record there is the channel's whole state, so the command reads the latest one first and
 * changes only what it was asked to (a pause keeps a pace override, a pace change keeps a pause).
 */
@Command(name = "channel", mixinStandardHelpOptions = true,
        description = "Pause, resume or re-pace a channel on every sender instance, without restart "
                + "(through the compacted wa.control topic).",
        subcommands = {ChannelCommandLine.Pause.class, ChannelCommandLine.Resume.class, ChannelCommandLine.Pace.class})
final class ChannelCommandLine {

    abstract static class Change implements Callable<Integer> {
        @Parameters(index = "0", description = "Channel id from the registry.")
        String channel;

        @Option(names = {"-b", "--bootstrap-server"}, required = true, description = "Kafka bootstrap servers.")
        String bootstrap;

        @Option(names = "--topic", defaultValue = "wa.control", description = "Control topic.")
        String topic = TopicNames.defaults().control();

        /** The new state from the latest one. */
        abstract ChannelCommand change(ChannelCommand latest, Instant now);

        @Override
        public Integer call() throws Exception {
            ChannelCommand next = change(latest(), Instant.now());
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaProducer<byte[], byte[]> producer =
                         new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(next.toRecord(topic, channel)).get(30, TimeUnit.SECONDS);
            }
            System.out.println("channel " + channel + " " + next.state()
                    + (next.mps() == null ? "" : ", mps " + next.mps())
                    + (next.headroom() == null ? "" : ", headroom " + next.headroom()));
            return 0;
        }

        private ChannelCommand latest() {
            Map<String, Object> props = new HashMap<>();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            AtomicReference<ChannelCommand> latest = new AtomicReference<>(ChannelCommand.initial());
            try (ControlListener listener = new ControlListener(props, topic, (id, command) -> {
                if (id.equals(channel)) {
                    latest.set(command);
                }
            })) {
                listener.start().caughtUp().orTimeout(30, TimeUnit.SECONDS).join();
            }
            return latest.get();
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a channel: its messages wait.")
    static final class Pause extends Change {
        @Option(names = "--reason", defaultValue = "operator", description = "Why, for logs and status.")
        String reason;

        @Override
        ChannelCommand change(ChannelCommand latest, Instant now) {
            return latest.paused(reason, "operator", now, null);
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused channel.")
    static final class Resume extends Change {
        @Option(names = "--reason", defaultValue = "operator", description = "Why, for logs and status.")
        String reason;

        @Override
        ChannelCommand change(ChannelCommand latest, Instant now) {
            return latest.running(reason, "operator", now);
        }
    }

    @Command(name = "pace", mixinStandardHelpOptions = true,
            description = "Override the channel's throughput limit and headroom (pace = mps × headroom less the "
                    + "rate of customers' messages to the number, which count against the same limit); --reset goes "
                    + "back to the registry's.")
    static final class Pace extends Change {
        @Option(names = "--mps", description = "Messages per second the number is allowed (1 to 1000).")
        Integer mps;

        @Option(names = "--headroom", description = "Share of the limit to use while no customer writes, 0 < h <= 1.")
        Double headroom;

        @Option(names = "--reset", description = "Drop both overrides.")
        boolean reset;

        @Override
        ChannelCommand change(ChannelCommand latest, Instant now) {
            if (reset) {
                return latest.withPace(null, null);
            }
            if (mps == null && headroom == null) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "give --mps, --headroom or --reset");
            }
            if (mps != null && (mps < 1 || mps > 1000)) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--mps must be between 1 and 1000, got " + mps);
            }
            if (headroom != null && (headroom <= 0 || headroom > 1)) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--headroom must be above 0 and at most 1, got " + headroom);
            }
            return latest.withPace(mps != null ? mps : latest.mps(), headroom != null ? headroom : latest.headroom());
        }
    }
}
