package io.wabatch.ops.cli;

import io.wabatch.common.control.ChannelCommand;
import io.wabatch.common.kafka.TopicNames;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wabatch channel pause|resume <id>}: sets a channel's state in {@code wa.control}. */
@Command(name = "channel", mixinStandardHelpOptions = true,
        description = "Pause or resume a channel on every sender instance (through the compacted wa.control topic).",
        subcommands = {ChannelCommandLine.Pause.class, ChannelCommandLine.Resume.class})
final class ChannelCommandLine {

    abstract static class SetState implements Callable<Integer> {
        @Parameters(index = "0", description = "Channel id from the registry.")
        String channel;

        @Option(names = {"-b", "--bootstrap-server"}, required = true, description = "Kafka bootstrap servers.")
        String bootstrap;

        @Option(names = "--topic", defaultValue = "wa.control", description = "Control topic.")
        String topic = TopicNames.defaults().control();

        @Option(names = "--reason", defaultValue = "operator", description = "Why, for logs and status.")
        String reason;

        abstract String state();

        @Override
        public Integer call() {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaProducer<byte[], byte[]> producer =
                         new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ChannelCommand(state(), reason, "operator", Instant.now()).toRecord(topic, channel));
                producer.flush();
            }
            System.out.println("channel " + channel + " " + state());
            return 0;
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a channel: its messages wait.")
    static final class Pause extends SetState {
        @Override
        String state() {
            return ChannelCommand.PAUSED;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused channel.")
    static final class Resume extends SetState {
        @Override
        String state() {
            return ChannelCommand.RUNNING;
        }
    }
}
