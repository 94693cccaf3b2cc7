package io.wabatch.sender.send;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.api.ErrorAction;
import io.wabatch.common.contract.InDoubtPolicy;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.MediaRef;
import io.wabatch.common.contract.ReadyJob;
import io.wabatch.sender.retry.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of {@link Step#CLASSIFY}, without a sender around them. */
class VerdictTest {

    private static final SendHandler.Policy PARK = policy(InDoubtPolicy.PARK);
    private static final SendHandler.Policy RESEND = policy(InDoubtPolicy.RESEND);

    @Test
    void aLostAnswerIsResentOnlyWhenConfiguredAndCallsAreLeft() {
        ErrorAction lost = new ErrorAction(ErrorAction.Kind.RETRY_LATER, true, "timeout");
        assertThat(Verdict.of(lost, job(null, 1, false), 1, PARK)).isEqualTo(Verdict.PARK_IN_DOUBT);
        assertThat(Verdict.of(lost, job(null, 1, false), 1, RESEND)).isEqualTo(Verdict.RESEND_IN_DOUBT);
        assertThat(Verdict.of(lost, job(InDoubtPolicy.RESEND, 1, false), 1, PARK)).isEqualTo(Verdict.RESEND_IN_DOUBT);
        assertThat(Verdict.of(lost, job(InDoubtPolicy.PARK, 1, false), 1, RESEND)).isEqualTo(Verdict.PARK_IN_DOUBT);
        assertThat(Verdict.of(lost, job(null, 1, false), 5, RESEND)).as("attempts exhausted")
                .isEqualTo(Verdict.PARK_IN_DOUBT);
    }

    @Test
    void rateLimitsAreRetriedHoweverOftenTransientErrorsOnlyWhileCallsAreLeft() {
        for (ErrorAction.Kind kind : List.of(ErrorAction.Kind.LOWER_PACE, ErrorAction.Kind.RECIPIENT_BACKOFF)) {
            assertThat(Verdict.of(action(kind), job(null, 1, false), 99, PARK)).isEqualTo(Verdict.RETRY);
            assertThat(Verdict.throttled(kind)).isTrue();
        }
        for (ErrorAction.Kind kind : List.of(ErrorAction.Kind.RETRY_NOW, ErrorAction.Kind.RETRY_LATER)) {
            assertThat(Verdict.of(action(kind), job(null, 1, false), 4, PARK)).isEqualTo(Verdict.RETRY);
            assertThat(Verdict.of(action(kind), job(null, 1, false), 5, PARK)).isEqualTo(Verdict.FAIL);
            assertThat(Verdict.throttled(kind)).isFalse();
        }
    }

    @Test
    void pausesReuploadsAndPermanentErrors() {
        assertThat(Verdict.of(action(ErrorAction.Kind.PAUSE_CHANNEL), job(null, 1, false), 1, PARK))
                .isEqualTo(Verdict.PAUSE_CHANNEL);
        assertThat(Verdict.of(action(ErrorAction.Kind.PAUSE_WABA), job(null, 1, false), 1, PARK))
                .isEqualTo(Verdict.PAUSE_WABA);
        assertThat(Verdict.of(action(ErrorAction.Kind.REUPLOAD_MEDIA), job(null, 1, true), 1, PARK))
                .isEqualTo(Verdict.REUPLOAD);
        assertThat(Verdict.of(action(ErrorAction.Kind.REUPLOAD_MEDIA), job(null, 2, true), 1, PARK))
                .as("a re-uploaded generation fails rather than loop").isEqualTo(Verdict.FAIL);
        assertThat(Verdict.of(action(ErrorAction.Kind.REUPLOAD_MEDIA), job(null, 1, false), 1, PARK))
                .as("no media to upload").isEqualTo(Verdict.FAIL);
        assertThat(Verdict.of(action(ErrorAction.Kind.PERMANENT), job(null, 1, false), 1, PARK))
                .isEqualTo(Verdict.FAIL);
    }

    private static ErrorAction action(ErrorAction.Kind kind) {
        return new ErrorAction(kind, false, kind.name());
    }

    private static SendHandler.Policy policy(InDoubtPolicy inDoubt) {
        return new SendHandler.Policy(new Backoff(Duration.ofMillis(1), Duration.ofMillis(2)), 5, Duration.ofMillis(1),
                inDoubt);
    }

    private static ReadyJob job(InDoubtPolicy inDoubt, int generation, boolean media) {
        ObjectNode message = Json.mapper().createObjectNode().put("type", "text");
        message.putObject("text").put("body", "hi");
        return new ReadyJob(1, "job-1", "campaign", "channel", "4915100000001", message,
                media ? List.of(mediaRef()) : List.of(), null, null, inDoubt, null, generation, Instant.EPOCH,
                Instant.EPOCH);
    }

    private static MediaRef mediaRef() {
        return new MediaRef("/image", "https://cdn.example.com/a.jpg", "M1", "image/jpeg", "0f");
    }
}
