package io.wabatch.sender.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.ReadyJob;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SendLedgerTest {

    private final Vertx vertx = Vertx.vertx();
    private final StalledProducer producer = new StalledProducer();
    private final SendLedger ledger = new SendLedger("ledger", producer, channel -> 0, () -> {
        throw new UnsupportedOperationException("no rebuild here");
    }, Duration.ofMinutes(10), Clock.systemUTC());

    @AfterEach
    void close() {
        producer.release.countDown();
        ledger.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** {@code send()} blocks while the topic's metadata is unknown: for as long as the broker is away. */
    @Test
    void ledgerWritesNeverBlockTheEventLoopWhileTheProducerCannotSend() throws Exception {
        Context context = vertx.getOrCreateContext();
        CompletableFuture<Future<Void>> attempt = new CompletableFuture<>();
        CompletableFuture<Void> loopFree = new CompletableFuture<>();
        context.runOnContext(v -> {
            attempt.complete(ledger.attempt(job("job-1"), 1));
            ledger.note(job("job-2"), LedgerEntry.State.NOT_SENT, 1);
        });
        context.runOnContext(v -> loopFree.complete(null));

        loopFree.get(5, TimeUnit.SECONDS);
        assertThat(attempt.get(5, TimeUnit.SECONDS).isComplete()).as("acknowledged while the producer is stalled")
                .isFalse();

        producer.release.countDown();
        attempt.get().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        await("the note written too").atMost(Duration.ofSeconds(5)).until(() -> entries().size() == 2);
        assertThat(entries()).extracting(LedgerEntry::job).as("written in call order").containsExactly("job-1", "job-2");
    }

    /** What one turn of the event loop writes goes out as one record per partition, acknowledged together. */
    @Test
    void attemptsOfOneLoopTurnAreWrittenAsOneRecordPerPartition() throws Exception {
        producer.release.countDown();
        SendLedger byChannel = new SendLedger("ledger", producer, channel -> channel.equals("a") ? 0 : 1, () -> {
            throw new UnsupportedOperationException("no rebuild here");
        }, Duration.ofMinutes(10), Clock.systemUTC());
        try {
            CompletableFuture<List<Future<Void>>> attempts = new CompletableFuture<>();
            vertx.getOrCreateContext().runOnContext(v -> attempts.complete(List.of(
                    byChannel.attempt(job("job-1", "a"), 1), byChannel.attempt(job("job-2", "b"), 1),
                    byChannel.attempt(job("job-3", "a"), 1))));
            for (Future<Void> attempt : attempts.get(5, TimeUnit.SECONDS)) {
                attempt.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            }
            assertThat(producer.history()).hasSize(2);
            assertThat(producer.history()).extracting(ProducerRecord::partition).containsExactly(0, 1);
            assertThat(LedgerEntry.decodeAll(producer.history().get(0).value())).extracting(LedgerEntry::job)
                    .containsExactly("job-1", "job-3");
            assertThat(LedgerEntry.decodeAll(producer.history().get(1).value())).extracting(LedgerEntry::job)
                    .containsExactly("job-2");
        } finally {
            byChannel.close();
        }
    }

    @Test
    void aLoopTurnWithMoreAttemptsThanABatchHoldsIsSplitAcrossRecords() throws Exception {
        producer.release.countDown();
        int attempts = 2 * LedgerWriter.MAX_BATCH + 1;
        CompletableFuture<List<Future<Void>>> written = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> {
            List<Future<Void>> all = new java.util.ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                all.add(ledger.attempt(job("job-" + i), 1));
            }
            written.complete(all);
        });
        for (Future<Void> attempt : written.get(5, TimeUnit.SECONDS)) {
            attempt.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        assertThat(producer.history()).extracting(r -> LedgerEntry.decodeAll(r.value()).size())
                .containsExactly(LedgerWriter.MAX_BATCH, LedgerWriter.MAX_BATCH, 1);
        assertThat(entries()).extracting(LedgerEntry::job).first().isEqualTo("job-0");
        assertThat(entries()).extracting(LedgerEntry::job).last().isEqualTo("job-" + (attempts - 1));
    }

    @Test
    void aSingleEntryRecordStillDecodes() throws Exception {
        LedgerEntry entry = new LedgerEntry("job-9", 2, LedgerEntry.State.ACCEPTED, 1, "wamid.X", Instant.EPOCH);
        assertThat(LedgerEntry.decodeAll(entry.encode())).containsExactly(entry);
    }

    private List<LedgerEntry> entries() throws java.io.IOException {
        List<LedgerEntry> all = new java.util.ArrayList<>();
        for (ProducerRecord<byte[], byte[]> record : producer.history()) {
            all.addAll(LedgerEntry.decodeAll(record.value()));
        }
        return all;
    }

    /** Outcomes go out from another thread than attempts and notes, so they can overtake them. */
    @Test
    void aGenerationOnceFinishedStaysFinishedWhenAnEarlierNoteArrivesAfterItsOutcome() {
        PartitionIndex entries = new PartitionIndex(Duration.ofMinutes(10), Clock.systemUTC());
        long now = System.currentTimeMillis();
        entries.put(1, LedgerEntry.State.ATTEMPT, now);
        entries.put(1, LedgerEntry.State.NOT_SENT, now);
        entries.put(1, LedgerEntry.State.ATTEMPT, now);
        assertThat(entries.get(1)).isEqualTo(LedgerEntry.State.ATTEMPT);
        entries.put(1, LedgerEntry.State.FINAL, now);
        entries.put(1, LedgerEntry.State.NOT_SENT, now);
        assertThat(entries.get(1)).isEqualTo(LedgerEntry.State.FINAL);

        entries.put(2, LedgerEntry.State.ACCEPTED, now);
        entries.put(2, LedgerEntry.State.ATTEMPT, now);
        assertThat(entries.get(2)).isEqualTo(LedgerEntry.State.ACCEPTED);
    }

    private static ReadyJob job(String id) {
        return job(id, "channel");
    }

    private static ReadyJob job(String id, String channel) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "text");
        message.putObject("text").put("body", "hi");
        return new ReadyJob(1, id, "campaign", channel, "4915100000001", message, List.of(), null, null, null, null, 1,
                Instant.EPOCH, Instant.EPOCH);
    }

    /** A producer whose {@code send()} blocks until released, like a real one waiting for metadata. */
    private static final class StalledProducer extends MockProducer<byte[], byte[]> {
        final CountDownLatch release = new CountDownLatch(1);

        StalledProducer() {
            super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public java.util.concurrent.Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record,
                                                                Callback callback) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.send(record, callback);
        }
    }
}
