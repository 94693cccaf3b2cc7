package io.wabatch.ops.bench.jmh;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.wabatch.common.api.ApiEndpoint;
import io.wabatch.common.channel.Channel;
import io.wabatch.common.secret.Secret;
import io.wabatch.sender.pace.AdaptivePace;
import io.wabatch.sender.pace.ChannelGate;
import io.wabatch.sender.pace.PairPacer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The tokens the sender takes for every message, measured when they are available (a pace of
 * about 10^8 messages per second, far above any benchmark thread): the cost of the pacing itself, not
 * the waiting it imposes. Hot because every message passes the channel gate, the pair pacer, the
 * channel's pace ({@code RatePacer}'s Bucket4j bucket, through {@link AdaptivePace#acquire}) and
 * the per-second cap ({@code SecondCap}, through {@link AdaptivePace#sendSlot}) on the sender's
 * event loop. Each invocation fails if a token was not there at once, so a waiting path is never
 * measured by mistake.
 *
 * <p>Each message goes to another recipient, as in a campaign: the pair pacer's steady state is
 * dropping an idle recipient and tracking a new one. Its window is 1 µs instead of 6 s so that a
 * recipient of the benchmark's ring of {@value #RECIPIENTS} is idle again when its turn comes back
 * (at 6 s the map would hold millions of recipients); the work per message is the same.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PacingBenchmark {

    private static final String CHANNEL = SampleJobs.CHANNEL;
    private static final int RECIPIENTS = 4096;
    /** The channel's limit: high enough that no benchmark thread can drain its buckets. */
    private static final int UNLIMITED_MPS = 100_000_000;

    private Vertx vertx;
    private AdaptivePace pace;
    private PairPacer pairs;
    private ChannelGate gate;
    private String[] pairKeys;
    private int next;

    @Setup
    public void setUp() {
        vertx = Vertx.vertx();
        Channel channel = new Channel(CHANNEL, ApiEndpoint.d360(URI.create("http://127.0.0.1:9"), Secret.of("bench")),
                null, 0, UNLIMITED_MPS, Channel.DEFAULT_HEADROOM, 1_000_000, Channel.DEFAULT_UPLOAD_RATE);
        // The recovery timer must not touch the pacer from the event loop while the benchmark thread uses it.
        pace = new AdaptivePace(vertx, List.of(channel),
                new AdaptivePace.Settings(0.7, Duration.ofSeconds(1), Duration.ofHours(1), 0.05, 0.1));
        pairs = new PairPacer(vertx, Duration.ofNanos(1_000), 1);
        gate = new ChannelGate();
        pairKeys = new String[RECIPIENTS];
        for (int i = 0; i < RECIPIENTS; i++) {
            pairKeys[i] = CHANNEL + "/49151" + (23_450_000 + i);
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    /** A token of the channel's pace ({@code RatePacer}). */
    @Benchmark
    public Future<Void> channelToken() {
        return ready(pace.acquire(CHANNEL));
    }

    /** A slot of the current wall-clock second ({@code SecondCap}). */
    @Benchmark
    public Future<Void> secondSlot() {
        return ready(pace.sendSlot(CHANNEL));
    }

    /** The pair pacer for a recipient not seen in its window: acquire, then note the send. */
    @Benchmark
    public Future<Void> pairSlot() {
        String pair = nextPair();
        Future<Void> slot = ready(pairs.acquire(pair));
        pairs.sent(pair);
        return slot;
    }

    /**
     * Everything a message passes before its API call, composed as the sender's gates do
     * ({@code send.Gates}; the send ledger's write, a Kafka send, left out).
     */
    @Benchmark
    public Future<Void> perMessage() {
        String pair = nextPair();
        return ready(gate.await(CHANNEL)
                .compose(v -> pairs.acquire(pair))
                .compose(v -> gate.await(CHANNEL))
                .compose(v -> pace.acquire(CHANNEL))
                .compose(v -> gate.paused(CHANNEL) ? gate.await(CHANNEL) : Future.succeededFuture())
                .compose(v -> pace.sendSlot(CHANNEL))
                .onSuccess(v -> pairs.sent(pair)));
    }

    private String nextPair() {
        String pair = pairKeys[next];
        next = next + 1 == RECIPIENTS ? 0 : next + 1;
        return pair;
    }

    private static Future<Void> ready(Future<Void> token) {
        if (!token.succeeded()) {
            throw new IllegalStateException("no token at once: the benchmark would measure waiting, not pacing");
        }
        return token;
    }
}
