package io.wabatch.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JobValidatorTest {

    private final JobValidator validator = new JobValidator(Set.of("acme-de", "acme-nl"));

    static java.util.List<JobCases.Case> cases() {
        return JobCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void blamesTheRightFieldOrAccepts(JobCases.Case c) {
        JobValidation result = validator.validate(c.job());
        if (c.valid()) {
            assertThat(result).as(describe(result)).isInstanceOf(JobValidation.Valid.class);
        } else {
            assertThat(result).isInstanceOf(JobValidation.Invalid.class);
            assertThat(((JobValidation.Invalid) result).problems()).extracting(Problem::path).contains(c.path());
        }
    }

    @Test
    void reportsEveryProblemAtOnce() {
        var job = JobFixtures.withMessage("{\"type\":\"audio\",\"audio\":{\"caption\":\"c\"}}");
        job.put("v", 7);
        job.put("channel", "nowhere");
        var invalid = (JobValidation.Invalid) validator.validate(job);
        assertThat(invalid.problems()).extracting(Problem::path)
                .containsExactlyInAnyOrder("v", "channel", "message.audio", "message.audio.caption");
        assertThat(invalid.reason()).contains("unknown channel 'nowhere'; known channels: acme-de, acme-nl");
    }

    @Test
    void unknownVersionIsNamed() {
        var job = JobFixtures.base();
        job.put("v", 2);
        var invalid = (JobValidation.Invalid) validator.validate(job);
        assertThat(invalid.reason()).contains("unsupported contract version 2; this worker reads version 1");
    }

    @Test
    void notJsonIsAProblemNotAnException() {
        var invalid = (JobValidation.Invalid) validator.validate("{\"v\":1,".getBytes(StandardCharsets.UTF_8));
        assertThat(invalid.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("$");
            assertThat(p.reason()).startsWith("is not valid JSON");
        });
        assertThat(validator.validate(new byte[0])).isInstanceOf(JobValidation.Invalid.class);
        assertThat(validator.validate("[1,2]".getBytes(StandardCharsets.UTF_8))).isInstanceOf(JobValidation.Invalid.class);
    }

    @Test
    void deepNestingIsRejectedNotAStackOverflow() {
        String deep = "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000);
        var invalid = (JobValidation.Invalid) validator.validate(deep.getBytes(StandardCharsets.UTF_8));
        assertThat(invalid.reason()).contains("is not valid JSON");
    }

    @Test
    void aRecordAboveTheSizeCapIsRejectedUnreadEvenWhenItIsAValidJob() throws Exception {
        var job = JobFixtures.base();
        job.put("padding", "x".repeat(CampaignJob.MAX_BYTES));
        byte[] value = Json.mapper().writeValueAsBytes(job);
        var invalid = (JobValidation.Invalid) validator.validate(value);
        assertThat(invalid.jobId()).as("not parsed, so not even its id is known").isNull();
        assertThat(invalid.reason()).contains("the record has " + value.length + " bytes, more than the 524288 a job "
                + "may have; split its recipients over several jobs (at most 1000 each)");
        job.put("padding", "x".repeat(CampaignJob.MAX_BYTES - 1_000));
        assertThat(validator.validate(Json.mapper().writeValueAsBytes(job))).as("just below the cap")
                .isInstanceOf(JobValidation.Valid.class);
    }

    @Test
    void invalidUtf8IsRejected() {
        byte[] value = "{\"v\":1,\"job_id\":\"a?\"}".getBytes(StandardCharsets.US_ASCII);
        value[value.length - 3] = (byte) 0xff;
        var invalid = (JobValidation.Invalid) validator.validate(value);
        assertThat(invalid.reason()).contains("is not valid JSON").contains("UTF-8");
    }

    @Test
    void batchRecipientsAreNormalisedDeduplicatedAndRejectedOneByOne() {
        var job = JobFixtures.base();
        job.remove("to");
        job.set("recipients", JobFixtures.node("""
                ["+49 151 2345 6789", "004915123456789", {"to":"+31 6 1234 5678","vars":{"name":"Ana"}}, "12", "not a number"]
                """));
        var valid = (JobValidation.Valid) validator.validate(job);
        CampaignJob parsed = valid.job();
        assertThat(parsed.recipients()).extracting(Recipient::address).containsExactly("4915123456789", "31612345678");
        assertThat(parsed.recipients()).extracting(r -> r.jobId(parsed.jobId()))
                .containsExactly("spring-sale-000042/0", "spring-sale-000042/2");
        assertThat(parsed.recipients().get(1).vars()).containsEntry("name", "Ana");
        assertThat(parsed.duplicates()).isEqualTo(1);
        assertThat(parsed.rejected()).extracting(RecipientRejection::index).containsExactly(3, 4);
        assertThat(parsed.rejected().get(0).problem().path()).isEqualTo("recipients[3]");
    }

    @Test
    void businessScopedUserIdsAreRecipientsAloneOrNextToANumber() {
        var job = JobFixtures.base();
        job.remove("to");
        job.set("recipients", JobFixtures.node("""
                ["US.13491208655302741918", {"recipient":"US.ENT.11815799212886844830","vars":{"name":"Ana"}},
                 {"to":"+49 151 2345 6789","recipient":"DE.5550001"}, "DE.5550001", "+4915123456789",
                 "us.lowercase", {"recipient":"US.13491208655302741918"}, {"recipient":"no dots"}]
                """));
        CampaignJob parsed = ((JobValidation.Valid) validator.validate(job)).job();

        assertThat(parsed.recipients()).extracting(Recipient::address)
                .containsExactly("US.13491208655302741918", "US.ENT.11815799212886844830", "4915123456789");
        assertThat(parsed.recipients()).extracting(Recipient::userId)
                .containsExactly("US.13491208655302741918", "US.ENT.11815799212886844830", "DE.5550001");
        assertThat(parsed.duplicates()).as("the same BSUID, the same number (of the same person) again").isEqualTo(3);
        assertThat(parsed.rejected()).extracting(r -> r.problem().path())
                .containsExactly("recipients[5]", "recipients[7].recipient");
        assertThat(parsed.rejected().get(1).problem().reason()).contains("not a business-scoped user ID")
                .doesNotContain("no dots");
    }

    @Test
    void aSingleRecipientMayBeABusinessScopedUserId() {
        var job = JobFixtures.base();
        job.remove("to");
        job.put("recipient", "BR.77711122233344455566");
        CampaignJob parsed = ((JobValidation.Valid) validator.validate(job)).job();
        assertThat(parsed.recipients()).singleElement().satisfies(r -> {
            assertThat(r.address()).isEqualTo("BR.77711122233344455566");
            assertThat(r.jobId(parsed.jobId())).isEqualTo("spring-sale-000042");
        });

        job.put("to", "+49 151 2345 6789");
        assertThat(((JobValidation.Valid) validator.validate(job)).job().recipients()).singleElement()
                .satisfies(r -> {
                    assertThat(r.address()).as("with both, the number is the address").isEqualTo("4915123456789");
                    assertThat(r.userId()).isEqualTo("BR.77711122233344455566");
                });
    }

    @Test
    void singleRecipientKeepsTheJobId() {
        CampaignJob job = ((JobValidation.Valid) validator.validate(JobFixtures.base())).job();
        assertThat(job.recipients()).singleElement().satisfies(r -> {
            assertThat(r.jobId(job.jobId())).isEqualTo("spring-sale-000042");
            assertThat(r.address()).isEqualTo("4915123456789");
        });
        assertThat(job.raw().has("callback_data")).isTrue();
    }

    @Test
    void pastNotAfterIsValidButExpired() {
        CampaignJob job = ((JobValidation.Valid) validator.validate(JobFixtures.base())).job();
        assertThat(job.expiredAt(Instant.parse("2026-12-02T00:00:00Z"))).isTrue();
        assertThat(job.expiredAt(Instant.parse("2026-11-30T00:00:00Z"))).isFalse();
    }

    @Test
    void notBeforeIsReadAndKept() {
        var json = JobFixtures.base();
        json.put("not_before", "2026-11-30T09:00:00+01:00");
        CampaignJob job = ((JobValidation.Valid) validator.validate(json)).job();
        assertThat(job.notBefore()).isEqualTo(Instant.parse("2026-11-30T08:00:00Z"));
        assertThat(job.notAfter()).isEqualTo(Instant.parse("2026-12-01T18:00:00Z"));
        assertThat(job.raw().get("not_before").asText()).isEqualTo("2026-11-30T09:00:00+01:00");
        assertThat(((JobValidation.Valid) validator.validate(JobFixtures.base())).job().notBefore()).isNull();
    }

    @ParameterizedTest(name = "not_before {0}")
    @ValueSource(strings = {"2026-12-01T18:00:00Z", "2026-12-01T19:00:00+01:00", "2026-12-02T00:00:00Z"})
    void notBeforeAtOrAfterNotAfterIsRejected(String notBefore) {
        var job = JobFixtures.base();
        job.put("not_before", notBefore);
        var invalid = (JobValidation.Invalid) validator.validate(job);
        assertThat(invalid.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("not_before");
            assertThat(p.reason()).isEqualTo("must be earlier than not_after (2026-12-01T18:00:00Z), got "
                    + Instant.parse(notBefore) + ": the message could never be sent; move not_before earlier"
                    + " or not_after later");
        });
    }

    @Test
    void notBeforeOneSecondBeforeNotAfterIsValid() {
        var job = JobFixtures.base();
        job.put("not_before", "2026-12-01T17:59:59Z");
        assertThat(validator.validate(job)).isInstanceOf(JobValidation.Valid.class);
    }

    @Test
    void malformedNotAfterDoesNotAlsoBlameTheOrder() {
        var job = JobFixtures.base();
        job.put("not_after", "soon");
        job.put("not_before", "2026-12-02T00:00:00Z");
        var invalid = (JobValidation.Invalid) validator.validate(job);
        assertThat(invalid.problems()).extracting(Problem::path).containsExactly("not_after");
    }

    @Test
    void inDoubtIsReadAndAbsentMeansTheSendersDefault() {
        for (InDoubtPolicy policy : InDoubtPolicy.values()) {
            var json = JobFixtures.base();
            json.put("in_doubt", policy.wireName());
            assertThat(((JobValidation.Valid) validator.validate(json)).job().inDoubt()).isEqualTo(policy);
        }
        assertThat(((JobValidation.Valid) validator.validate(JobFixtures.base())).job().inDoubt()).isNull();
    }

    @Test
    void unknownInDoubtNamesBothPoliciesAndTheirRisk() {
        var job = JobFixtures.base();
        job.put("in_doubt", "retry");
        var invalid = (JobValidation.Invalid) validator.validate(job);
        assertThat(invalid.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("in_doubt");
            assertThat(p.reason()).isEqualTo("must be \"park\" (a message whose call may have reached the API without"
                    + " an answer is held for an operator, never sent twice) or \"resend\" (it is sent again and may"
                    + " reach the recipient twice), or left out for the sender's default (send.in.doubt); got \"retry\"");
        });
    }

    @Test
    void invalidJobStillNamesItsRecipientsForFailedResults() {
        var job = JobFixtures.withMessage("{\"type\":\"image\",\"image\":{}}");
        job.remove("to");
        job.set("recipients", JobFixtures.node("[\"+4915123456789\", \"+4915123456788\"]"));
        var invalid = (JobValidation.Invalid) validator.validate(job);
        assertThat(invalid.recipients()).extracting(JobValidation.Target::jobId)
                .containsExactly("spring-sale-000042/0", "spring-sale-000042/1");
        assertThat(invalid.campaignId()).isEqualTo("spring-sale");
    }

    private static String describe(JobValidation result) {
        return result instanceof JobValidation.Invalid invalid ? invalid.reason() : "valid";
    }
}
