package io.wabatch.upload.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.common.contract.CampaignJob;
import io.wabatch.common.contract.InDoubtPolicy;
import io.wabatch.common.contract.JobValidation;
import io.wabatch.common.contract.JobValidator;
import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.MediaType;
import io.wabatch.upload.media.LinkMedia;
import io.wabatch.upload.media.UploadedMedia;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadyJobsTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void replacesLinksWithIdsDerivesFilenameAndFillsVars() throws Exception {
        CampaignJob job = job("""
                {"v":1,"job_id":"j","campaign_id":"c","channel":"ch",
                 "recipients":[{"to":"+4915123456789","vars":{"name":"Ana"}},{"to":"+4915123456788","vars":{"name":"Ben"}}],
                 "message":{"type":"document","document":{"link":"https://x.example/files/price-list.pdf","caption":"For {{name}}"}}}
                """);
        LinkMedia link = new LinkMedia("/document", MediaType.DOCUMENT, "https://x.example/files/price-list.pdf");
        Map<LinkMedia, UploadedMedia> media = Map.of(link,
                new UploadedMedia("M-1", "application/pdf", "abc", 10, "price-list.pdf", true, null));

        var second = ReadyJobs.build(job, job.recipients().get(1), media, true, NOW, NOW).job();

        assertThat(second.jobId()).isEqualTo("j/1");
        assertThat(second.key()).isEqualTo("ch/4915123456788");
        assertThat(second.message().toString())
                .isEqualTo("{\"type\":\"document\",\"document\":{\"caption\":\"For Ben\",\"id\":\"M-1\",\"filename\":\"price-list.pdf\"}}");
        assertThat(second.media()).singleElement().satisfies(ref -> {
            assertThat(ref.link()).isEqualTo("https://x.example/files/price-list.pdf");
            assertThat(ref.mediaId()).isEqualTo("M-1");
        });
        assertThat(second.generation()).isEqualTo(1);
        assertThat(job.message().toString()).contains("link").as("the job's own message is untouched");
    }

    @Test
    void everyReadyJobCarriesTheSendWindow() throws Exception {
        CampaignJob job = job("""
                {"v":1,"job_id":"j","campaign_id":"c","channel":"ch",
                 "recipients":["+4915123456789","+4915123456788"],
                 "message":{"type":"text","text":{"body":"Hi"}},
                 "not_before":"2026-11-30T08:00:00Z","not_after":"2026-12-01T18:00:00Z"}
                """);

        var ready = job.recipients().stream()
                .map(r -> ReadyJobs.build(job, r, Map.of(), false, NOW, NOW).job()).toList();

        assertThat(ready).hasSize(2).allSatisfy(r -> {
            assertThat(r.notBefore()).isEqualTo(Instant.parse("2026-11-30T08:00:00Z"));
            assertThat(r.notAfter()).isEqualTo(Instant.parse("2026-12-01T18:00:00Z"));
        });
        assertThat(Json.mapper().readTree(Json.bytes(ready.get(1))).get("not_before").asText())
                .isEqualTo("2026-11-30T08:00:00Z");
    }

    @Test
    void everyReadyJobCarriesTheCampaignsInDoubtPolicy() throws Exception {
        CampaignJob job = job("""
                {"v":1,"job_id":"j","campaign_id":"c","channel":"ch",
                 "recipients":["+4915123456789","+4915123456788"],
                 "message":{"type":"text","text":{"body":"Your code is 4711"}},
                 "in_doubt":"resend"}
                """);

        var ready = job.recipients().stream()
                .map(r -> ReadyJobs.build(job, r, Map.of(), false, NOW, NOW).job()).toList();

        assertThat(ready).hasSize(2).allSatisfy(r -> assertThat(r.inDoubt()).isEqualTo(InDoubtPolicy.RESEND));
        assertThat(Json.mapper().readTree(Json.bytes(ready.get(1))).get("in_doubt").asText()).isEqualTo("resend");
    }

    @Test
    void missingVarRejectsOnlyThatRecipient() throws Exception {
        CampaignJob job = job("""
                {"v":1,"job_id":"j","campaign_id":"c","channel":"ch",
                 "recipients":[{"to":"+4915123456789","vars":{"name":"Ana"}},"+4915123456788"],
                 "message":{"type":"text","text":{"body":"Hi {{name}}, code {{ code }}"}}}
                """);
        var first = ReadyJobs.build(job, job.recipients().get(0), Map.of(), true, NOW, NOW);
        var second = ReadyJobs.build(job, job.recipients().get(1), Map.of(), true, NOW, NOW);
        assertThat(first.job()).isNull();
        assertThat(first.problem().reason()).isEqualTo("no value for placeholder(s) {{code}}");
        assertThat(second.problem().path()).isEqualTo("recipients[1].vars");
    }

    @Test
    void jobsWithoutVarsKeepBracesVerbatim() throws Exception {
        CampaignJob job = job("""
                {"v":1,"job_id":"j","campaign_id":"c","channel":"ch","to":"+4915123456789",
                 "message":{"type":"text","text":{"body":"literal {{braces}}"}}}
                """);
        var ready = ReadyJobs.build(job, job.recipients().get(0), Map.of(), false, NOW, NOW).job();
        assertThat(ready.message().at("/text/body").asText()).isEqualTo("literal {{braces}}");
        assertThat(ready.jobId()).isEqualTo("j");
        assertThat(ready.notBefore()).as("no not_before: send at once").isNull();
        assertThat(ready.inDoubt()).as("no in_doubt: the sender's default applies").isNull();
    }

    private static CampaignJob job(String json) throws Exception {
        var result = new JobValidator(Set.of("ch")).validate((ObjectNode) Json.mapper().readTree(json));
        return ((JobValidation.Valid) result).job();
    }
}
