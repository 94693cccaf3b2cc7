package io.wabatch.upload.media;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.wabatch.common.contract.MediaType;
import io.wabatch.common.metrics.ErrorCodes;
import io.wabatch.common.metrics.Metric;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The upload worker's meters, registered through the {@link Metric} catalogue. Tags are bounded:
 * channel, media type, outcome, cache result, DLQ reason code; never links, media ids or numbers.
 */
public final class UploadMetrics {

    private final MeterRegistry registry;

    public UploadMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Gauges read from live state: spool bytes reserved and records in flight; returns them. */
    public List<Gauge> gauges(Supplier<Number> spoolBytes, Supplier<Number> inFlight) {
        return List.of(Metric.UPLOAD_SPOOL_BYTES.gauge(registry, spoolBytes),
                Metric.UPLOAD_INFLIGHT.gauge(registry, inFlight));
    }

    void upload(String channel, MediaType type, boolean ok, long bytes, long nanos) {
        Metric.UPLOAD_UPLOADS.counter(registry, "channel", channel, "type", type.jsonName(),
                "outcome", ok ? "uploaded" : "failed").increment();
        if (ok) {
            Metric.UPLOAD_BYTES.counter(registry, "channel", channel).increment(bytes);
        }
        Metric.UPLOAD_UPLOAD_LATENCY.timer(registry, "channel", channel).record(nanos, TimeUnit.NANOSECONDS);
    }

    void download(MediaType type, long nanos) {
        Metric.UPLOAD_DOWNLOAD_LATENCY.timer(registry, "type", type.jsonName()).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** {@code result}: hit, miss, revalidated or hash_hit. */
    void cache(String result) {
        Metric.UPLOAD_CACHE.counter(registry, "result", result).increment();
    }

    void singleFlightJoin() {
        Metric.UPLOAD_SINGLEFLIGHT_JOINS.counter(registry).increment();
    }

    /** A record sent to the DLQ with this reason code. */
    public void deadLetter(String code) {
        Metric.UPLOAD_DLQ.counter(registry, "reason", ErrorCodes.bounded(code)).increment();
    }

    /** Uploads that succeeded, all channels. */
    public long uploads() {
        return (long) registry.find(Metric.UPLOAD_UPLOADS.meterName()).tag("outcome", "uploaded").counters().stream()
                .mapToDouble(Counter::count).sum();
    }
}
