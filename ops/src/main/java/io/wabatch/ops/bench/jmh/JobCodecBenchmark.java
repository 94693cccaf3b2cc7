package io.wabatch.ops.bench.jmh;

import io.wabatch.common.contract.CampaignJob;
import io.wabatch.common.contract.JobValidation;
import io.wabatch.common.contract.JobValidator;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.ReadyJob;
import java.io.IOException;
import java.util.Set;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding and encoding the jobs: hot because every record of {@code wa.jobs} is decoded and
 * validated by the upload worker ({@link JobValidator#validate(byte[])}: JSON, the contract's
 * rules, each recipient's number through libphonenumber), every ready job is encoded once per
 * recipient by the upload worker and decoded once per send attempt by the sender
 * ({@link ReadyJob#decode}). The jobs are {@link SampleJobs}: a one-recipient text, an image by
 * link to 100 recipients with vars, and one of its ready jobs. Five warmup iterations, not three:
 * on two cores the JSON and libphonenumber paths are still being compiled after three seconds.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class JobCodecBenchmark {

    private JobValidator validator;
    private byte[] textJob;
    private byte[] imageBatchJob;
    private byte[] readyJob;
    private CampaignJob decodedBatch;
    private ReadyJob decodedReady;

    @Setup
    public void setUp() throws IOException {
        validator = new JobValidator(Set.of(SampleJobs.CHANNEL, "d360-de-2", "meta-at-1"));
        textJob = SampleJobs.textJob();
        imageBatchJob = SampleJobs.imageBatchJob();
        readyJob = SampleJobs.readyImageJob();
        decodedBatch = valid(validator.validate(imageBatchJob), SampleJobs.BATCH_RECIPIENTS);
        valid(validator.validate(textJob), 1);
        decodedReady = ReadyJob.decode(readyJob);
    }

    /** The upload worker reads a one-recipient text job: parse and validate. */
    @Benchmark
    public JobValidation decodeTextJob() {
        return validator.validate(textJob);
    }

    /** The upload worker reads an image job with 100 recipients and their vars: parse and validate. */
    @Benchmark
    public JobValidation decodeImageBatchJob() {
        return validator.validate(imageBatchJob);
    }

    /** The 100-recipient job written back as JSON, as a producer writes it. */
    @Benchmark
    public byte[] encodeImageBatchJob() {
        return Json.bytes(decodedBatch.raw());
    }

    /** The sender reads a ready job, once per send attempt. */
    @Benchmark
    public ReadyJob decodeReadyJob() throws IOException {
        return ReadyJob.decode(readyJob);
    }

    /** The upload worker writes a ready job, once per recipient. */
    @Benchmark
    public byte[] encodeReadyJob() {
        return Json.bytes(decodedReady);
    }

    /** A benchmark of an invalid job would measure the error path: refuse to start instead. */
    private static CampaignJob valid(JobValidation validation, int recipients) {
        if (!(validation instanceof JobValidation.Valid valid)) {
            throw new IllegalStateException("sample job invalid: " + ((JobValidation.Invalid) validation).reason());
        }
        if (valid.job().recipients().size() != recipients) {
            throw new IllegalStateException("sample job has " + valid.job().recipients().size()
                    + " valid recipients, expected " + recipients + "; rejected: " + valid.job().rejected());
        }
        return valid.job();
    }
}
