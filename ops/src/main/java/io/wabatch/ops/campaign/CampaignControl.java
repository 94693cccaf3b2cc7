package io.wabatch.ops.campaign;

import io.wabatch.common.control.CampaignCommand;
import io.wabatch.common.control.ControlListener;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * A campaign's record in the compacted control topic, which every sender follows: the latest command, read
 * to the topic's end, and the next one, written and acknowledged. Blocking, at most 30 s per call; a timeout
 * or a broker error is thrown.
 */
public final class CampaignControl {

    private final String bootstrap;
    private final String topic;

    /** @param topic the control topic ({@code wa.control}) */
    public CampaignControl(String bootstrap, String topic) {
        this.bootstrap = bootstrap;
        this.topic = topic;
    }

    /** The campaign's latest command, if any. */
    public Optional<CampaignCommand> latest(String campaign) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        AtomicReference<CampaignCommand> latest = new AtomicReference<>();
        try (ControlListener listener = new ControlListener(props, topic, (id, c) -> { },
                (id, command) -> {
                    if (id.equals(campaign)) {
                        latest.set(command);
                    }
                })) {
            listener.start().caughtUp().orTimeout(30, TimeUnit.SECONDS).join();
        }
        return Optional.ofNullable(latest.get());
    }

    /** Writes the campaign's next command and waits for its acknowledgement. */
    public void write(String campaign, CampaignCommand command)
            throws InterruptedException, ExecutionException, TimeoutException {
        try (KafkaProducer<byte[], byte[]> producer = CampaignProducers.producer(bootstrap, null)) {
            producer.send(command.toRecord(topic, campaign)).get(30, TimeUnit.SECONDS);
        }
    }
}
