package io.wabatch.upload.media;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wabatch.common.contract.MediaType;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The upload worker's meters. Tags are bounded: channel, media type, outcome, cache result,
 * DLQ reason code; never links, media ids or numbers.
 */
public final class UploadMetrics {

    private final MeterRegistry registry;

    public UploadMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Gauges read from live state: spool bytes reserved and records in flight. */
    public void gauges(Supplier<Number> spoolBytes, Supplier<Number> inFlight) {
        Gauge.builder("wabatch.upload.spool.bytes", spoolBytes).description("Spool bytes reserved by downloads.")
                .baseUnit("bytes").register(registry);
        Gauge.builder("wabatch.upload.inflight", inFlight).description("Campaign jobs in flight.").register(registry);
    }

    void upload(String channel, MediaType type, boolean ok, long bytes, long nanos) {
        String outcome = ok ? "uploaded" : "failed";
        Counter.builder("wabatch.upload.uploads").description("Uploads to /media by channel, media type and outcome.")
                .tags("channel", channel, "media_type", type.jsonName(), "outcome", outcome)
                .register(registry).increment();
        if (ok) {
            Counter.builder("wabatch.upload.bytes").description("Bytes uploaded to /media.").baseUnit("bytes")
                    .tags("channel", channel).register(registry).increment(bytes);
        }
        Timer.builder("wabatch.upload.upload.latency").description("Time of one /media upload.")
                .tags("channel", channel).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    void download(MediaType type, long nanos) {
        Timer.builder("wabatch.upload.download.latency").description("Time to download one media link.")
                .tags("media_type", type.jsonName()).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** {@code result}: hit, miss, revalidated or hash_hit. */
    void cache(String result) {
        Counter.builder("wabatch.upload.cache").description("Media-id cache lookups by result.")
                .tags("result", result).register(registry).increment();
    }

    void singleFlightJoin() {
        Counter.builder("wabatch.upload.singleflight.joins")
                .description("Requests that waited for a download and upload already under way.")
                .register(registry).increment();
    }

    /** A record sent to the DLQ with this reason code. */
    public void deadLetter(String code) {
        Counter.builder("wabatch.upload.dlq").description("Dead letters by reason code.")
                .tags("reason", code).register(registry).increment();
    }

    /** Uploads that succeeded, all channels. */
    public long uploads() {
        return (long) registry.find("wabatch.upload.uploads").tag("outcome", "uploaded").counters().stream()
                .mapToDouble(Counter::count).sum();
    }
}
