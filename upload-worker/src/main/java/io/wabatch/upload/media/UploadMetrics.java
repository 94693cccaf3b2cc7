package io.wabatch.upload.media;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.wabatch.common.contract.MediaType;
import io.wabatch.common.metrics.ErrorCodes;
import io.wabatch.common.metrics.Meters;
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
    private final Meters meters;

    public UploadMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.meters = new Meters(registry);
        for (String result : List.of("passed", "failed", "unchecked")) {
            meters.counter(Metric.UPLOAD_TEMPLATE_CHECKS, "result", result);
        }
        for (String result : List.of("ok", "failed")) {
            meters.counter(Metric.UPLOAD_TEMPLATE_SYNCS, "result", result);
        }
    }

    /** Gauges read from live state: spool bytes reserved and records in flight; returns them. */
    public List<Gauge> gauges(Supplier<Number> spoolBytes, Supplier<Number> inFlight) {
        return List.of(Metric.UPLOAD_SPOOL_BYTES.gauge(registry, spoolBytes),
                Metric.UPLOAD_INFLIGHT.gauge(registry, inFlight));
    }

    void upload(String channel, MediaType type, boolean ok, long bytes, long nanos) {
        meters.counter(Metric.UPLOAD_UPLOADS, "channel", channel, "type", type.jsonName(),
                "outcome", ok ? "uploaded" : "failed").increment();
        if (ok) {
            meters.counter(Metric.UPLOAD_BYTES, "channel", channel).increment(bytes);
        }
        meters.timer(Metric.UPLOAD_UPLOAD_LATENCY, "channel", channel).record(nanos, TimeUnit.NANOSECONDS);
    }

    void download(MediaType type, long nanos) {
        meters.timer(Metric.UPLOAD_DOWNLOAD_LATENCY, "type", type.jsonName()).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** {@code result}: hit, miss, revalidated or hash_hit. */
    void cache(String result) {
        meters.counter(Metric.UPLOAD_CACHE, "result", result).increment();
    }

    void singleFlightJoin() {
        meters.counter(Metric.UPLOAD_SINGLEFLIGHT_JOINS).increment();
    }

    /** A template job judged by the catalogue: passed, failed or unchecked. */
    public void templateCheck(String result) {
        meters.counter(Metric.UPLOAD_TEMPLATE_CHECKS, "result", result).increment();
    }

    /** A listing of an account's templates that completed ({@code ok}) or not. */
    public void templateSync(boolean ok) {
        meters.counter(Metric.UPLOAD_TEMPLATE_SYNCS, "result", ok ? "ok" : "failed").increment();
    }

    /** A record sent to the DLQ with this reason code. */
    public void deadLetter(String code) {
        meters.counter(Metric.UPLOAD_DLQ, "reason", ErrorCodes.bounded(code)).increment();
    }

    /** Uploads that succeeded, all channels. */
    public long uploads() {
        return (long) registry.find(Metric.UPLOAD_UPLOADS.meterName()).tag("outcome", "uploaded").counters().stream()
                .mapToDouble(Counter::count).sum();
    }
}
