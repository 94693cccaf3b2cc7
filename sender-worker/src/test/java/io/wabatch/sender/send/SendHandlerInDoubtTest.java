package io.wabatch.sender.send;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.wabatch.common.api.ApiEndpoint;
import io.wabatch.common.api.ApiError;
import io.wabatch.common.api.ApiResult;
import io.wabatch.common.api.MessageAccepted;
import io.wabatch.common.api.TransportFailure;
import io.wabatch.common.channel.Channel;
import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.secret.Secret;
import io.wabatch.common.contract.InDoubtPolicy;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.kafka.Outputs;
import io.wabatch.common.kafka.TopicNames;
import io.wabatch.sender.control.ChannelControl;
import io.wabatch.sender.defer.Deferrals;
import io.wabatch.sender.ledger.LedgerEntry;
import io.wabatch.sender.ledger.SendLedger;
import io.wabatch.sender.pace.AdaptivePace;
import io.wabatch.sender.pace.PairPacer;
import io.wabatch.sender.retry.Backoff;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The in-doubt decision per job: the job's {@code in_doubt} if it has one, else the worker's
 * {@code send.in.doubt}, for both kinds of doubt (an answer lost after the call; a call the ledger
 * shows in flight when the previous owner stopped). The handler runs for real on a Vert.x context;
 * only the API (a scripted client) and the ledger's producer (a {@link MockProducer}) are fakes.
 */
@Timeout(20)
class SendHandlerInDoubtTest {

    private static final TopicNames TOPICS = TopicNames.defaults();
    private static final Channel CHANNEL = new Channel("acme", ApiEndpoint.d360(URI.create("http://127.0.0.1:9"),
            Secret.of("key")), null, 0, 80, Channel.DEFAULT_HEADROOM, 1, Channel.DEFAULT_UPLOAD_RATE);
    private static final ApiResult<MessageAccepted> LOST = ApiResult.failed(
            ApiError.transport(TransportFailure.RESPONSE_TIMEOUT, "no answer within 1000 ms"));

    private final Vertx vertx = Vertx.vertx();
    private final ScriptedApi api = new ScriptedApi(CHANNEL.endpoint());
    private SendLedger ledger;

    @AfterEach
    void close() {
        if (ledger != null) {
            ledger.close();
        }
        vertx.close();
    }

    /** Worker default, the job's in_doubt (null: none), and what an in-doubt message gets. */
    static Stream<Arguments> decisions() {
        return Stream.of(
                Arguments.of(InDoubtPolicy.PARK, null, InDoubtPolicy.PARK),
                Arguments.of(InDoubtPolicy.PARK, InDoubtPolicy.RESEND, InDoubtPolicy.RESEND),
                Arguments.of(InDoubtPolicy.PARK, InDoubtPolicy.PARK, InDoubtPolicy.PARK),
                Arguments.of(InDoubtPolicy.RESEND, null, InDoubtPolicy.RESEND),
                Arguments.of(InDoubtPolicy.RESEND, InDoubtPolicy.PARK, InDoubtPolicy.PARK),
                Arguments.of(InDoubtPolicy.RESEND, InDoubtPolicy.RESEND, InDoubtPolicy.RESEND));
    }

    @ParameterizedTest(name = "worker {0}, job {1}: {2}")
    @MethodSource("decisions")
    void aLostAnswerFollowsTheJobsInDoubtElseTheWorkersDefault(InDoubtPolicy workerDefault, InDoubtPolicy jobs,
                                                               InDoubtPolicy expected) throws Exception {
        api.answers.add(LOST);
        SendHandler handler = handler(workerDefault, null);

        List<ProducerRecord<byte[], byte[]>> out = handle(handler, job(jobs));

        JobResult result = result(out);
        if (expected == InDoubtPolicy.RESEND) {
            assertThat(api.bodies).as("sent again after the lost answer").hasSize(2);
            assertThat(result.outcome()).isEqualTo(Outcome.ACCEPTED);
            assertThat(result.attempts()).isEqualTo(2);
            assertThat(deadLetters(out)).isEmpty();
        } else {
            assertThat(api.bodies).as("not sent again").hasSize(1);
            assertParked(result, out, 1);
        }
    }

    @ParameterizedTest(name = "worker {0}, job {1}: {2}")
    @MethodSource("decisions")
    void aCallTheLedgerShowsInFlightFollowsTheJobsInDoubtElseTheWorkersDefault(InDoubtPolicy workerDefault,
                                                                               InDoubtPolicy jobs,
                                                                               InDoubtPolicy expected) throws Exception {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        ledger = new SendLedger(TOPICS.ledger(), producer, channel -> CHANNEL.partition(), () -> {
            throw new AssertionError("no rebuild in this test");
        }, Duration.ofMinutes(10), Clock.systemUTC());
        ReadyJob job = job(jobs);
        // What a rebuilt ledger holds after a crash mid-call: an attempt and no outcome.
        ledger.attempt(job, 1);
        assertThat(ledger.state(job)).isEqualTo(LedgerEntry.State.ATTEMPT);
        SendHandler handler = handler(workerDefault, ledger);

        List<ProducerRecord<byte[], byte[]>> out = handle(handler, job);

        JobResult result = result(out);
        if (expected == InDoubtPolicy.RESEND) {
            assertThat(api.bodies).as("sent again").hasSize(1);
            assertThat(result.outcome()).isEqualTo(Outcome.ACCEPTED);
            assertThat(ledger.state(job)).isEqualTo(LedgerEntry.State.ACCEPTED);
            assertThat(deadLetters(out)).isEmpty();
        } else {
            assertThat(api.bodies).as("not sent again").isEmpty();
            assertParked(result, out, 0);
            assertThat(ledger.state(job)).isEqualTo(LedgerEntry.State.FINAL);
        }
    }

    @Test
    void rateLimitAnswersDoNotSpendTheAttemptsThatLaterErrorsGet() throws Exception {
        ApiResult<MessageAccepted> rateLimited = ApiResult.failed(new ApiError(429, 130429, null,
                "Rate limit hit", "throughput", null, false));
        ApiResult<MessageAccepted> maintenance = ApiResult.failed(new ApiError(400, 131057, null,
                "Account in maintenance mode", "maintenance", null, false));
        for (int i = 0; i < 7; i++) {
            api.answers.add(rateLimited);
        }
        for (int i = 0; i < 4; i++) {
            api.answers.add(maintenance);
        }
        SendHandler handler = handler(InDoubtPolicy.PARK, null);

        JobResult result = result(handle(handler, job(null)));

        assertThat(result.outcome()).as("7 rate limits and 4 errors, with 5 attempts allowed for errors")
                .isEqualTo(Outcome.ACCEPTED);
        assertThat(result.attempts()).as("every call counted in the result").isEqualTo(12);
        assertThat(api.bodies).hasSize(12);
    }

    private static void assertParked(JobResult result, List<ProducerRecord<byte[], byte[]>> out, int attempts) {
        assertThat(result.outcome()).isEqualTo(Outcome.PARKED);
        assertThat(result.error().code()).isEqualTo("in_doubt");
        assertThat(result.attempts()).isEqualTo(attempts);
        assertThat(deadLetters(out)).singleElement().satisfies(d -> assertThat(
                new String(d.headers().lastHeader(Outputs.ERROR_CODE).value(), StandardCharsets.UTF_8))
                .isEqualTo("in_doubt"));
    }

    private SendHandler handler(InDoubtPolicy workerDefault, SendLedger sendLedger) {
        AdaptivePace pace = new AdaptivePace(vertx, List.of(CHANNEL),
                new AdaptivePace.Settings(0.7, Duration.ofSeconds(1), Duration.ofSeconds(1), 0.05, 0.1));
        ChannelControl channels = new ChannelControl(vertx, ChannelRegistry.of(List.of(CHANNEL)), pace,
                channel -> api, (channel, command) -> { }, new ChannelControl.Settings(Duration.ofMinutes(1),
                Duration.ZERO), Clock.systemUTC());
        SendHandler.Policy policy = new SendHandler.Policy(new Backoff(Duration.ofMillis(1), Duration.ofMillis(2)), 5,
                Duration.ofMillis(1), workerDefault);
        return new SendHandler(vertx, pace, new PairPacer(vertx, Duration.ofMillis(1), 45), channels, new io.wabatch.sender.control.CampaignControl(), null,
                channel -> CHANNEL.id().equals(channel) ? api : null,
                new Outputs(TOPICS, "send", new SimpleMeterRegistry()),
                new Deferrals(TOPICS), sendLedger, policy, new SenderMetrics(new SimpleMeterRegistry()), null,
                Clock.systemUTC());
    }

    private List<ProducerRecord<byte[], byte[]>> handle(SendHandler handler, ReadyJob job) throws Exception {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(TOPICS.ready(), CHANNEL.partition(), 0L,
                job.key().getBytes(StandardCharsets.UTF_8), Json.bytes(job));
        CompletableFuture<List<ProducerRecord<byte[], byte[]>>> done = new CompletableFuture<>();
        vertx.runOnContext(v -> handler.handle(record).onComplete(ar -> {
            if (ar.succeeded()) {
                done.complete(ar.result());
            } else {
                done.completeExceptionally(ar.cause());
            }
        }));
        return done.get(10, TimeUnit.SECONDS);
    }

    private static ReadyJob job(InDoubtPolicy inDoubt) throws Exception {
        ObjectNode message = (ObjectNode) Json.mapper().readTree("{\"type\":\"text\",\"text\":{\"body\":\"4711\"}}");
        return new ReadyJob(1, "otp-1/0", "otp", CHANNEL.id(), "4915123456789", message, List.of(), null, null,
                inDoubt, "crm-1", 1, Instant.now(), Instant.now());
    }

    private static JobResult result(List<ProducerRecord<byte[], byte[]>> out) throws Exception {
        List<ProducerRecord<byte[], byte[]>> results = out.stream()
                .filter(r -> r.topic().equals(TOPICS.results())).toList();
        assertThat(results).hasSize(1);
        return Json.read(results.get(0).value(), JobResult.class);
    }

    private static List<ProducerRecord<byte[], byte[]>> deadLetters(List<ProducerRecord<byte[], byte[]>> out) {
        return out.stream().filter(r -> r.topic().equals(TOPICS.dlq())).toList();
    }
}
