package io.wabatch.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The walker finds every media position of §9, and the validator checks the rules of each. */
class MediaObjectsTest {

    private static final Function<String, String> LINK = name -> "https://cdn.example.com/campaign/" + name;
    private final JobValidator validator = new JobValidator(Set.of("acme-de"));

    static List<MediaPositionCorpus.Body> bodies() {
        return MediaPositionCorpus.bodies(LINK);
    }

    static List<MediaPositionCorpus.Breaker> breakers() {
        return MediaPositionCorpus.breakers(LINK);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void everyPositionIsFoundWithItsLinkAndTheJobIsValid(MediaPositionCorpus.Body body) {
        List<MediaObjects.Found> found = MediaObjects.find(body.message());

        assertThat(found).extracting(MediaObjects.Found::pointer).containsExactlyElementsOf(body.pointers());
        assertThat(found).allSatisfy(f -> {
            assertThat(f.byLink()).as(f.pointer()).isTrue();
            assertThat(body.message().at(f.pointer())).as("the pointer names the object").isSameAs(f.object());
            assertThat(f.object().get("link").asText()).startsWith("https://cdn.example.com/campaign/");
        });
        JobValidation validation = validator.validate(job(body.message()));
        assertThat(validation).as(String.valueOf(validation)).isInstanceOf(JobValidation.Valid.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void mediaGivenByIdAreFoundButNeedNoUpload(MediaPositionCorpus.Body body) {
        ObjectNode message = body.message().deepCopy();
        for (String pointer : body.pointers()) {
            ObjectNode object = (ObjectNode) message.at(pointer);
            object.remove("link");
            object.put("id", "1234567890");
        }
        assertThat(MediaObjects.find(message)).hasSize(body.pointers().size()).noneMatch(MediaObjects.Found::byLink);
        assertThat(validator.validate(job(message))).isInstanceOf(JobValidation.Valid.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breakers")
    void everyRuleBreakerIsRefusedWithItsPathAndReason(MediaPositionCorpus.Breaker breaker) {
        JobValidation validation = validator.validate(job(breaker.message()));

        assertThat(validation).isInstanceOf(JobValidation.Invalid.class);
        JobValidation.Invalid invalid = (JobValidation.Invalid) validation;
        assertThat(invalid.problems()).as(invalid.reason())
                .anySatisfy(p -> {
                    assertThat(p.path()).isEqualTo(breaker.path());
                    assertThat(p.reason()).contains(breaker.reason());
                });
    }

    @Test
    void aParameterTypeInCapitalsIsReadUnderItsLowerCaseName() {
        JsonNode message = MediaPositionCorpus.node("{'type':'template','template':{'name':'t','language':{'code':'en'},"
                + "'components':[{'type':'header','parameters':[{'type':'VIDEO','VIDEO':{'link':'https://x.example/v.mp4'},"
                + "'video':{'link':'https://x.example/w.mp4'}}]}]}}");

        assertThat(MediaObjects.find(message)).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(MediaType.VIDEO);
            assertThat(f.pointer()).isEqualTo("/template/components/0/parameters/0/video");
            assertThat(f.object().get("link").asText()).isEqualTo("https://x.example/w.mp4");
        });
    }

    @Test
    void aMessageTypeOrInteractiveHeaderTypeInCapitalsIsNotMedia() {
        assertThat(MediaObjects.find(MediaPositionCorpus.node("{'type':'IMAGE','image':{'link':'https://x.example/a.jpg'}}")))
                .isEmpty();
        assertThat(validator.validate(job(MediaPositionCorpus.node(
                "{'type':'IMAGE','image':{'link':'https://x.example/a.jpg'}}"))))
                .isInstanceOfSatisfying(JobValidation.Invalid.class, invalid ->
                        assertThat(invalid.reason()).contains("message types are lower case"));
    }

    @Test
    void aDeclaredMediaParameterWithoutItsObjectIsNamed() {
        var invalid = (JobValidation.Invalid) validator.validate(job(MediaPositionCorpus.node(
                "{'type':'template','template':{'name':'t','language':{'code':'en'},'components':[{'type':'header',"
                        + "'parameters':[{'type':'Document'}]}]}}")));

        assertThat(invalid.problems()).extracting(Problem::path)
                .containsExactly("message.template.components[0].parameters[0].document");
    }

    @Test
    void aTextParameterMayBeANumberAsGraphReadsIt() {
        assertThat(validator.validate(job(MediaPositionCorpus.node("{'type':'template','template':{'name':'t',"
                + "'language':{'code':'en'},'components':[{'type':'body','parameters':[{'type':'text','text':42},"
                + "{'type':'TEXT','text':true}]}]}}")))).isInstanceOf(JobValidation.Valid.class);
    }

    private static ObjectNode job(JsonNode message) {
        ObjectNode job = JobFixtures.base();
        job.set("message", message);
        return job;
    }
}
