package io.wabatch.ops.bench.jmh;

import io.wabatch.common.api.ApiError;
import io.wabatch.common.api.ApiErrorParser;
import io.wabatch.common.api.ErrorAction;
import io.wabatch.common.api.ErrorClassifier;
import io.wabatch.common.api.TransportFailure;
import java.nio.charset.StandardCharsets;
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
 * Reading and classifying the API's error answers: hot in a rate-limit storm or an outage, when
 * most calls fail. The sender parses every error answer ({@link ApiErrorParser}) and classifies it
 * ({@link ErrorClassifier}) twice: whether the pair window counts the call, then what to do about
 * it. Each invocation takes the next error of a fixed mix (rate limits first, then
 * 5xx, transport failures, permanent rejections, a paused channel, unknown codes), so the branch
 * profile is that of a bad minute rather than of one repeated error.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ErrorClassificationBenchmark {

    private ApiError[] errors;
    private int[] statuses;
    private byte[][] bodies;
    private int nextError;
    private int nextBody;

    @Setup
    public void setUp() {
        errors = new ApiError[] {
                meta(429, 130429), meta(400, 130429), meta(429, 130429), meta(400, 131056), meta(400, 131056),
                meta(500, 131000), meta(503, 1), new ApiError(502, null, null, null, "Bad Gateway", null, false),
                ApiError.transport(TransportFailure.RESPONSE_TIMEOUT, "TimeoutException: 10000 ms"),
                ApiError.transport(TransportFailure.CONNECTION_REFUSED, "ConnectException: refused"),
                meta(400, 131026), meta(400, 131047), meta(400, 100), meta(400, 131053), meta(401, 190),
                meta(400, 131049), meta(404, 132001), meta(400, 135000),
                new ApiError(429, null, null, "Too Many Requests", null, null, false),
                new ApiError(400, null, null, "Invalid request", null, null, false)};
        String[][] answers = {
                {"429", "{\"error\":{\"message\":\"(#130429) Rate limit hit\",\"type\":\"OAuthException\","
                        + "\"code\":130429,\"error_data\":{\"messaging_product\":\"whatsapp\",\"details\":"
                        + "\"Cloud API message throughput has been reached.\"},\"fbtrace_id\":\"AbCdEf0123456789\"}}"},
                {"400", "{\"error\":{\"message\":\"(#131056) (Business Account, Consumer Account) pair rate limit hit\","
                        + "\"type\":\"OAuthException\",\"code\":131056,\"error_data\":{\"messaging_product\":\"whatsapp\","
                        + "\"details\":\"Too many messages sent from the sender phone number to the same recipient "
                        + "phone number in a short period of time.\"},\"fbtrace_id\":\"A7xYz01Bc\"}}"},
                {"400", "{\"error\":{\"message\":\"(#131053) Media upload error\",\"type\":\"OAuthException\","
                        + "\"code\":\"131053\",\"error_subcode\":2494102,\"error_data\":{\"details\":"
                        + "\"Media id 1044178413712457 has expired.\"},\"fbtrace_id\":\"B8yZa12Cd\"}}"},
                {"400", "{\"error\":\"Invalid request\"}"},
                {"401", "{\"meta\":{\"http_code\":401,\"developer_message\":\"Invalid api key\",\"success\":false}}"},
                {"500", "{\"errors\":[{\"code\":131000,\"title\":\"Something went wrong\","
                        + "\"details\":\"Message failed to send because of an unknown error.\"}]}"},
                {"502", "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1>"
                        + "</center><hr><center>nginx</center></body></html>"},
                {"503", ""}};
        statuses = new int[answers.length];
        bodies = new byte[answers.length][];
        for (int i = 0; i < answers.length; i++) {
            statuses[i] = Integer.parseInt(answers[i][0]);
            bodies[i] = answers[i][1].getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Classifies the next error of the mix. */
    @Benchmark
    public ErrorAction classify() {
        ApiError error = errors[nextError];
        nextError = nextError + 1 == errors.length ? 0 : nextError + 1;
        return ErrorClassifier.classify(error);
    }

    /** Parses the next error answer of the mix (Meta, 360dialog gateway, on-premise, an HTML page, empty). */
    @Benchmark
    public ApiError parse() {
        int i = nextBody;
        nextBody = i + 1 == bodies.length ? 0 : i + 1;
        return ApiErrorParser.parse(statuses[i], bodies[i]);
    }

    private static ApiError meta(int status, int code) {
        return new ApiError(status, code, null, "error " + code, "details of " + code, "AbCdEf0123456789", false);
    }
}
