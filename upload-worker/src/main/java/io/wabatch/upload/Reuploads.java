package io.wabatch.upload;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.wabatch.common.contract.JobResult;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.MediaRef;
import io.wabatch.common.contract.MediaType;
import io.wabatch.common.contract.Outcome;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.common.contract.ResultError;
import io.wabatch.common.kafka.Outputs;
import io.wabatch.upload.media.LinkMedia;
import io.wabatch.upload.media.MediaException;
import io.wabatch.upload.media.MediaResolver;
import io.wabatch.upload.media.UploadedMedia;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Re-upload requests: a ready job the sender sent back to {@code wa.jobs} (header
 * {@code wabatch.kind: reupload}) because the API reported one of its media ids unknown or
 * expired. Its dead ids are evicted from the cache and its links uploaded again (once: the other
 * messages that carried the same dead id reuse that upload), and the job goes back to
 * {@code wa.jobs.ready} with the new ids and the next generation, so the resend is told apart
 * from a duplicate.
 */
final class Reuploads {

    private final MediaResolver media;
    private final Outputs outputs;
    private final String readyTopic;
    private final Clock clock;

    Reuploads(MediaResolver media, Outputs outputs, String readyTopic, Clock clock) {
        this.media = media;
        this.outputs = outputs;
        this.readyTopic = readyTopic;
        this.clock = clock;
    }

    static boolean isRequest(ConsumerRecord<byte[], byte[]> record) {
        Header kind = record.headers().lastHeader(Outputs.KIND);
        return kind != null && Outputs.KIND_REUPLOAD.equals(new String(kind.value(), StandardCharsets.UTF_8));
    }

    Future<List<ProducerRecord<byte[], byte[]>>> handle(ConsumerRecord<byte[], byte[]> record) {
        ReadyJob job;
        try {
            job = ReadyJob.decode(record.value());
        } catch (java.io.IOException | RuntimeException e) {
            return Future.succeededFuture(outputs.unreadable(record, "invalid_reupload", "Malformed re-upload request",
                    "malformed re-upload request: " + e.getMessage(), clock.instant()));
        }
        List<Future<UploadedMedia>> uploads = new ArrayList<>();
        for (MediaRef ref : job.media()) {
            media.evictExpired(job.channel(), ref);
            uploads.add(media.resolve(job.channel(), job.campaignId(), new LinkMedia(ref.pointer(), typeOf(ref), ref.link())));
        }
        return Future.all(uploads).map(all -> List.of(ready(job, all.list())))
                .recover(e -> e instanceof MediaException failure
                        ? Future.succeededFuture(failed(record, job, failure)) : Future.failedFuture(e));
    }

    private ProducerRecord<byte[], byte[]> ready(ReadyJob job, List<UploadedMedia> uploaded) {
        ObjectNode message = job.message().deepCopy();
        List<MediaRef> refs = new ArrayList<>();
        for (int i = 0; i < job.media().size(); i++) {
            MediaRef ref = job.media().get(i);
            UploadedMedia fresh = uploaded.get(i);
            ((ObjectNode) message.at(ref.pointer())).put("id", fresh.mediaId());
            refs.add(new MediaRef(ref.pointer(), ref.link(), fresh.mediaId(), fresh.mimeType(), fresh.sha256()));
        }
        ReadyJob next = new ReadyJob(job.v(), job.jobId(), job.campaignId(), job.channel(), job.to(), message, refs,
                job.notAfter(), job.notBefore(), job.inDoubt(), job.callbackData(), job.generation() + 1,
                job.enqueuedAt(), clock.instant());
        return new ProducerRecord<>(readyTopic, next.key().getBytes(StandardCharsets.UTF_8), Json.bytes(next));
    }

    private List<ProducerRecord<byte[], byte[]>> failed(ConsumerRecord<byte[], byte[]> record, ReadyJob job,
                                                        MediaException failure) {
        return List.of(outputs.deadLetter(record, record.value(), job.jobId(), failure.code(), failure.getMessage()),
                outputs.result(new JobResult(job.jobId(), job.campaignId(), job.channel(), job.to(), Outcome.FAILED,
                        null, new ResultError(failure.code(), "Media re-upload failed", failure.getMessage(), null), 0,
                        job.callbackData(), job.generation(), job.enqueuedAt(), null, null, clock.instant())));
    }

    /** The media type is the last segment of the pointer ({@code /image}, {@code .../parameters/0/document}). */
    static MediaType typeOf(MediaRef ref) {
        String last = ref.pointer().substring(ref.pointer().lastIndexOf('/') + 1);
        return MediaType.of(last).orElseThrow(() -> new IllegalArgumentException("not a media pointer: " + ref.pointer()));
    }
}
