package io.wabatch.sender.policy;

import io.wabatch.common.contract.Json;
import io.wabatch.common.kafka.TopicFollower;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The portfolio budgets shared by every sender, through the claims log {@code wa.portfolio.claims}
 * (key: the portfolio, so one portfolio's records keep one order). A message that needs a place writes
 * a claim and waits until it reads the claim back: every sender applies the log's records in the same
 * order to its own {@link PortfolioBudget}, so each reaches the verdict the claimer does, and two numbers
 * of one portfolio owned by two senders never grant more than the portfolio allows together. A restarted
 * sender reads the log from one window back (the longest of the tier's and the cap's windows); no
 * partition assignment, no rebuild, the log is the state.
 *
 * <p>Cost: one produce and one read back per budgeted message (only business-initiated messages of
 * numbers with a tier, and marketing templates where a cap is set), pipelined, not one at a time.
 * Threading: the follower runs on its own thread and completes claims there; {@link #claim} and
 * {@link #accepted} may be called from any thread.
 */
public final class PortfolioBook implements PortfolioClaims, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PortfolioBook.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final Duration history;
    private final Duration claimTimeout;
    private final PortfolioBudget budget = new PortfolioBudget();
    private final Map<String, CompletableFuture<PortfolioBudget.Verdict>> waiting = new ConcurrentHashMap<>();
    private final TopicFollower follower;
    private long applied;

    /**
     * @param producer     writes the claims (not transactional: a claim is decided when read back, whatever
     *                     becomes of the send); the book's own, closed with it
     * @param history      how far back a starting sender reads: the longest budget window
     * @param claimTimeout how long a claim may wait for its verdict before it fails
     */
    public PortfolioBook(Map<String, Object> clientProperties, KafkaProducer<byte[], byte[]> producer, String topic,
                         Duration history, Duration claimTimeout, Clock clock) {
        this.producer = producer;
        this.topic = topic;
        // Metadata now, so that no claim sent from the event loop waits for it.
        producer.partitionsFor(topic);
        this.history = history;
        this.claimTimeout = claimTimeout;
        this.follower = TopicFollower.named("portfolio-book", clientProperties)
                .since(topic, () -> clock.instant().minus(history))
                .onRecord(this::apply)
                .onCaughtUp(() -> LOG.info("portfolio book: {} records of the last {} applied from {}", applied,
                        history, topic))
                .build();
        follower.terminated().whenComplete((v, e) -> waiting.values()
                .forEach(claim -> claim.completeExceptionally(new IllegalStateException("portfolio book stopped"))));
    }

    public PortfolioBook start() {
        follower.start();
        return this;
    }

    /** Completes once the log's end at start has been applied. */
    public CompletableFuture<Void> caughtUp() {
        return follower.caughtUp();
    }

    /** Completes exceptionally when the book stopped following the log (the sender then stops too). */
    public CompletableFuture<Void> terminated() {
        return follower.terminated();
    }

    @Override
    public CompletionStage<PortfolioBudget.Verdict> claim(PortfolioBudget.Entry claim) {
        CompletableFuture<PortfolioBudget.Verdict> verdict = new CompletableFuture<>();
        waiting.put(claim.id(), verdict);
        verdict.orTimeout(claimTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((v, e) -> waiting.remove(claim.id()));
        producer.send(record(claim), (metadata, error) -> {
            if (error != null) {
                verdict.completeExceptionally(error);
            }
        });
        return verdict;
    }

    @Override
    public void accepted(PortfolioBudget.Entry accepted) {
        producer.send(record(accepted), (metadata, error) -> {
            if (error != null) {
                LOG.warn("portfolio {}: an acceptance not written to {} ({}); its tier place counts from its claim",
                        accepted.portfolio(), topic, error.toString());
            }
        });
    }

    private ProducerRecord<byte[], byte[]> record(PortfolioBudget.Entry entry) {
        return new ProducerRecord<>(topic, entry.portfolio().getBytes(StandardCharsets.UTF_8), Json.bytes(entry));
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        applied++;
        PortfolioBudget.Entry entry;
        try {
            entry = Json.read(record.value(), PortfolioBudget.Entry.class);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("portfolio book: skipping an unreadable record at {}-{}@{}: {}", record.topic(),
                    record.partition(), record.offset(), e.getMessage());
            return;
        }
        if (entry.portfolio() == null || entry.person() == null || entry.at() == null
                || (entry.tier() != null && entry.tierWindowMs() == null)
                || (entry.cap() != null && entry.capWindowMs() == null)) {
            LOG.warn("portfolio book: skipping an incomplete record at {}-{}@{}", record.topic(), record.partition(),
                    record.offset());
            return;
        }
        PortfolioBudget.Verdict verdict = budget.apply(entry);
        if (verdict != null && entry.id() != null) {
            CompletableFuture<PortfolioBudget.Verdict> claimer = waiting.remove(entry.id());
            if (claimer != null) {
                claimer.complete(verdict);
            }
        }
    }

    @Override
    public void close() {
        follower.close();
        producer.close(Duration.ofSeconds(5));
    }
}
