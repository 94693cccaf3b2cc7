package io.wabatch.common.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReadyJobTest {

    private static final Instant NOT_AFTER = Instant.parse("2026-12-01T18:00:00Z");
    private static final Instant NOT_BEFORE = Instant.parse("2026-11-30T08:00:00Z");

    @Test
    void notBeforeSurvivesTheRoundTripAsNotBefore() throws Exception {
        ReadyJob job = job(NOT_BEFORE);

        byte[] json = Json.bytes(job);

        assertThat(Json.mapper().readTree(json).get("not_before").asText()).isEqualTo("2026-11-30T08:00:00Z");
        assertThat(ReadyJob.decode(json)).isEqualTo(job);
    }

    @Test
    void absentNotBeforeIsLeftOutAndReadsAsNull() throws Exception {
        byte[] json = Json.bytes(job(null));

        assertThat(new String(json, StandardCharsets.UTF_8)).doesNotContain("not_before");
        assertThat(ReadyJob.decode(json).notBefore()).isNull();
        assertThat(ReadyJob.decode(json).notAfter()).isEqualTo(NOT_AFTER);
    }

    @ParameterizedTest
    @EnumSource(InDoubtPolicy.class)
    void inDoubtSurvivesTheRoundTripAsInDoubt(InDoubtPolicy policy) throws Exception {
        ReadyJob job = job(NOT_BEFORE, policy);

        byte[] json = Json.bytes(job);

        assertThat(Json.mapper().readTree(json).get("in_doubt").asText()).isEqualTo(policy.wireName());
        assertThat(ReadyJob.decode(json)).isEqualTo(job);
    }

    @Test
    void absentInDoubtIsLeftOutAndReadsAsNull() throws Exception {
        byte[] json = Json.bytes(job(NOT_BEFORE, null));

        assertThat(new String(json, StandardCharsets.UTF_8)).doesNotContain("in_doubt");
        assertThat(ReadyJob.decode(json).inDoubt()).isNull();
    }

    @Test
    void unknownInDoubtMakesTheReadyJobUnreadable() throws Exception {
        ObjectNode json = (ObjectNode) Json.mapper().readTree(Json.bytes(job(null, null)));
        json.put("in_doubt", "maybe");

        assertThatThrownBy(() -> ReadyJob.decode(Json.bytes(json))).isInstanceOf(IOException.class)
                .hasMessageContaining("in_doubt must be \"park\" or \"resend\", got \"maybe\"");
    }

    @Test
    void aMessageWithoutATypeIsTextAsTheApiReadsIt() throws Exception {
        ReadyJob typed = job(null);
        ObjectNode untyped = typed.message().deepCopy();
        untyped.remove("type");
        ReadyJob job = new ReadyJob(1, typed.jobId(), typed.campaignId(), typed.channel(), typed.to(), untyped,
                List.of(), NOT_AFTER, null, null, null, 1, typed.enqueuedAt(), typed.uploadedAt());

        assertThat(typed.type()).isEqualTo("text");
        assertThat(job.type()).isEqualTo("text");
        assertThat(Json.mapper().readTree(Json.bytes(job)).has("type")).as("type() is no field of the record").isFalse();
    }

    private static ReadyJob job(Instant notBefore) throws Exception {
        return job(notBefore, null);
    }

    private static ReadyJob job(Instant notBefore, InDoubtPolicy inDoubt) throws Exception {
        ObjectNode message = (ObjectNode) Json.mapper().readTree("{\"type\":\"text\",\"text\":{\"body\":\"hi\"}}");
        return new ReadyJob(1, "spring-sale-000042/0", "spring-sale", "acme-de", "4915123456789", message, List.of(),
                NOT_AFTER, notBefore, inDoubt, "crm-7781", 1, Instant.parse("2026-11-25T10:00:00Z"),
                Instant.parse("2026-11-25T10:00:01Z"));
    }
}
