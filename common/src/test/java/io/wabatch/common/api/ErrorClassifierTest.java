package io.wabatch.common.api;

import static io.wabatch.common.api.ErrorAction.Kind.LOWER_PACE;
import static io.wabatch.common.api.ErrorAction.Kind.PAUSE_CAMPAIGN;
import static io.wabatch.common.api.ErrorAction.Kind.PAUSE_CHANNEL;
import static io.wabatch.common.api.ErrorAction.Kind.PAUSE_WABA;
import static io.wabatch.common.api.ErrorAction.Kind.PERMANENT;
import static io.wabatch.common.api.ErrorAction.Kind.RECIPIENT_BACKOFF;
import static io.wabatch.common.api.ErrorAction.Kind.RETRY_AFTER_24H;
import static io.wabatch.common.api.ErrorAction.Kind.RETRY_LATER;
import static io.wabatch.common.api.ErrorAction.Kind.RETRY_NOW;
import static io.wabatch.common.api.ErrorAction.Kind.REUPLOAD_MEDIA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.wabatch.common.api.ErrorAction.Kind;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Facts §4, one row per code and per HTTP status the table lists for it. */
class ErrorClassifierTest {

    /** status 0 = reported by a status webhook, not by an HTTP answer. */
    static Stream<Arguments> factsTable() {
        return Stream.of(
                arguments(400, 130429, LOWER_PACE, false),
                arguments(429, 130429, LOWER_PACE, false),
                arguments(400, 131056, RECIPIENT_BACKOFF, false),
                arguments(400, 131048, PAUSE_CHANNEL, false),
                arguments(400, 4, PAUSE_WABA, false),
                arguments(429, 4, PAUSE_WABA, false),
                arguments(400, 80007, PAUSE_WABA, false),
                arguments(429, 80007, PAUSE_WABA, false),
                arguments(500, 131000, RETRY_LATER, true),
                arguments(503, 131000, RETRY_LATER, true),
                arguments(500, 1, RETRY_LATER, true),
                arguments(503, 2, RETRY_LATER, true),
                arguments(503, 131016, RETRY_LATER, true),
                arguments(0, 131000, RETRY_LATER, false),
                arguments(400, 131057, RETRY_LATER, false),
                arguments(400, 100, PERMANENT, false),
                arguments(400, 131008, PERMANENT, false),
                arguments(400, 131009, PERMANENT, false),
                arguments(400, 131051, PERMANENT, false),
                arguments(400, 131026, PERMANENT, false),
                arguments(0, 131026, PERMANENT, false),
                arguments(400, 131047, PERMANENT, false),
                arguments(0, 131047, PERMANENT, false),
                arguments(0, 131049, RETRY_AFTER_24H, false),
                arguments(0, 131050, PERMANENT, false),
                arguments(0, 131062, PERMANENT, false),
                arguments(0, 131053, REUPLOAD_MEDIA, false),
                arguments(400, 131053, REUPLOAD_MEDIA, false),
                arguments(401, 190, PAUSE_CHANNEL, false),
                arguments(401, null, PAUSE_CHANNEL, false),
                arguments(400, 131042, PAUSE_CHANNEL, false),
                arguments(400, 131031, PAUSE_CHANNEL, false),
                arguments(400, 132000, PERMANENT, false),
                arguments(400, 132001, PAUSE_CAMPAIGN, false),
                arguments(400, 132005, PERMANENT, false),
                arguments(400, 132007, PERMANENT, false),
                arguments(400, 132012, PERMANENT, false),
                arguments(400, 132015, PAUSE_CAMPAIGN, false),
                arguments(400, 132016, PAUSE_CAMPAIGN, false),
                arguments(403, 368, PAUSE_CHANNEL, false),
                // other 4xx code: permanent; other 5xx / no body: retry with backoff
                arguments(400, 133010, PERMANENT, false),
                arguments(404, null, PERMANENT, false),
                arguments(403, null, PERMANENT, false),
                arguments(500, 999999, RETRY_LATER, true),
                arguments(502, null, RETRY_LATER, true),
                arguments(503, null, RETRY_LATER, true),
                // beyond the table: a gateway's timeout and rate limit, a 401 with a code of its own
                arguments(408, null, RETRY_LATER, false),
                arguments(429, null, LOWER_PACE, false),
                arguments(401, 0, PAUSE_CHANNEL, false),
                arguments(200, null, RETRY_LATER, true),
                arguments(0, 131021, PERMANENT, false),
                arguments(0, null, RETRY_LATER, false));
    }

    @ParameterizedTest(name = "HTTP {0} code {1} -> {2}, mayHaveBeenSent={3}")
    @MethodSource("factsTable")
    void classifiesEveryRowOfTheFactsTable(int status, Integer code, Kind kind, boolean mayHaveBeenSent) {
        ApiError error = new ApiError(status, code, null, "title", "details", null, false);

        ErrorAction action = ErrorClassifier.classify(error);

        assertThat(action.kind()).isEqualTo(kind);
        assertThat(action.mayHaveBeenSent()).isEqualTo(mayHaveBeenSent);
        assertThat(action.reason()).isNotBlank();
    }

    @Test
    void theCodeWinsOverTheStatus() {
        assertThat(ErrorClassifier.classify(new ApiError(503, 131056, null, null, null, null, false)).kind())
                .isEqualTo(RECIPIENT_BACKOFF);
        assertThat(ErrorClassifier.classify(new ApiError(500, 100, null, null, null, null, false)).kind())
                .isEqualTo(PERMANENT);
    }

    @Test
    void unknownCodesNameTheCodeInTheReason() {
        ErrorAction action = ErrorClassifier.classify(new ApiError(400, 133010, null, null, null, null, false));

        assertThat(action.reason()).contains("133010").contains("400");
    }

    static Stream<Arguments> transportFailures() {
        return Stream.of(
                arguments(TransportFailure.RESPONSE_TIMEOUT, RETRY_LATER, true),
                arguments(TransportFailure.CONNECTION_LOST, RETRY_LATER, true),
                arguments(TransportFailure.OTHER, RETRY_LATER, true),
                arguments(TransportFailure.CONNECTION_REFUSED, RETRY_LATER, false),
                arguments(TransportFailure.CONNECT_TIMEOUT, RETRY_LATER, false),
                arguments(TransportFailure.UNKNOWN_HOST, RETRY_LATER, false),
                arguments(TransportFailure.TLS_HANDSHAKE, RETRY_LATER, false),
                arguments(TransportFailure.POOL_EXHAUSTED, RETRY_NOW, false));
    }

    @ParameterizedTest(name = "{0} -> {1}, mayHaveBeenSent={2}")
    @MethodSource("transportFailures")
    void classifiesTransportFailuresBySentness(TransportFailure failure, Kind kind, boolean mayHaveBeenSent) {
        ErrorAction action = ErrorClassifier.classify(ApiError.transport(failure, "boom"));

        assertThat(action.kind()).isEqualTo(kind);
        assertThat(action.mayHaveBeenSent()).isEqualTo(mayHaveBeenSent);
    }

    @ParameterizedTest
    @EnumSource(TransportFailure.class)
    void transportFailureSurvivesTheTitleRoundTrip(TransportFailure failure) {
        ApiError error = ApiError.transport(failure, null);

        assertThat(error.transportFailure()).contains(failure);
        assertThat(new ApiError(0, null, null, error.title(), null, null, true).transportFailure()).contains(failure);
    }

    @Test
    void transportErrorWithAnUnknownTitleIsInDoubt() {
        ApiError error = new ApiError(0, null, null, "gremlins", null, null, true);

        assertThat(ErrorClassifier.classify(error).mayHaveBeenSent()).isTrue();
    }
}
