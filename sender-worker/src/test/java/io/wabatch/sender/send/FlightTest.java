package io.wabatch.sender.send;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.sender.defer.Deferrals;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class FlightTest {

    @Test
    void aJobThatStartsOverAfterAShortWaitKeepsTheEpochItFirstStartedIn() {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "text");
        ReadyJob job = new ReadyJob(1, "job-1", "spring", "acme", "4915123456789", message, List.of(), null, null,
                null, null, 1, Instant.EPOCH, Instant.EPOCH);
        Flight flight = new Flight(new ConsumerRecord<>("ready", 3, 7L, new byte[0], new byte[0]), job);
        Epochs epochs = new Epochs();

        flight.start(Deferrals.Carried.NONE, epochs.current(3));
        epochs.revoked(3); // the partition went to another sender while the job waited in memory
        flight.start(new Deferrals.Carried(null, null, 2, 1, 0), epochs.current(3));

        assertThat(flight.epoch).as("the epoch of its first start: the recheck before the call leaves the job to "
                + "the new owner").isEqualTo(0).isNotEqualTo(epochs.current(3));
        assertThat(flight.number).as("the counts still come from the record").isEqualTo(3);
    }
}
