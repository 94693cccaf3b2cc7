package io.wabatch.sandbox.kafka;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** The broker configuration of a single-node KRaft broker+controller on loopback. */
final class BrokerProperties {

    static final String CONTROLLER_LISTENER = "CONTROLLER";
    static final int NODE_ID = 1;

    /**
     * Single-node values for the internal topics plus wabatch's choices. {@code auto.create.topics.enable}
     * is off because wabatch creates its topics explicitly and the workers check they exist. Five partitions
     * for the offsets and transaction topics instead of 50 (one node hosts them all; fewer to create and to
     * reload on restart). The log cleaner's dedupe buffer is 8 MiB of heap instead of 128 MiB, ample for a
     * test or demo broker. Transactions that timed out (a crashed producer's) are looked for every second
     * instead of every 10 s, so that they are aborted soon after their {@code transaction.timeout.ms}.
     *
     * <p>A produce that adds a partition to a transaction waits up to 5 s instead of 100 ms for the previous
     * transaction's commit to complete, against a Kafka defect: KAFKA-15591 (also filed as KAFKA-14312 and
     * KAFKA-19880; reference/pipeline-measurements.md, pitfall 3). A fresh broker's first commit took 45-110 ms
     * to complete here (later ones 8-20 ms), 270 ms with 200 more partitions in it, more on a loaded machine. A
     * transaction that started meanwhile had its first produce refused with CONCURRENT_TRANSACTIONS (a client
     * WARN), and the produces pipelined behind it with "OutOfOrderSequenceException: Invalid sequence number for
     * producer ... Expected sequence 0 for transactions v2 idempotent producer with no existing state." (an
     * ERROR): what the demo printed on the upload worker's first produces to {@code wa.jobs.ready}. Waiting here
     * costs nothing, since no record of the new transaction can be appended before the old one completes. The
     * workers' transactional producers also keep one request in flight (KafkaClients), for brokers that keep
     * Kafka's 100 ms.
     */
    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("offsets.topic.num.partitions", "5"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("transaction.state.log.num.partitions", "5"),
            Map.entry("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000"),
            Map.entry("add.partitions.to.txn.retry.backoff.max.ms", "5000"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            Map.entry("auto.create.topics.enable", "false"),
            Map.entry("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024)));

    private BrokerProperties() {
    }

    /** Defaults, then {@code extra} (already checked against {@link BrokerOptions#MANAGED_KEYS}), then managed keys. */
    static Properties of(String host, LoopbackPorts.Choice ports, Path dataDir, Map<String, String> extra) {
        Properties props = new Properties();
        props.putAll(DEFAULTS);
        props.putAll(extra);
        String broker = "PLAINTEXT://" + host + ":" + ports.broker();
        String controller = host + ":" + ports.controller();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + controller);
        props.put("listeners", broker + "," + CONTROLLER_LISTENER + "://" + controller);
        props.put("advertised.listeners", broker);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("log.dirs", dataDir.toAbsolutePath().toString());
        return props;
    }
}
