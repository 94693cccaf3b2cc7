package io.wabatch.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wabatch.sandbox.api.SpecExamples;
import io.wabatch.sandbox.api.SpecExamples.Example;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Meta's own send examples ({@link SpecExamples}, the corpus the sandbox replays), each wrapped as a
 * campaign job: the validator is at least as lenient as the API on them, and {@link MediaObjects}
 * finds every media object in them. A job's message is the API body without the fields the job or
 * the sender own: {@code messaging_product}, {@code recipient_type}, {@code to} (the job's
 * {@code to}) and {@code biz_opaque_callback_data} (the sender's correlation token).
 */
class OfficialExamplesTest {

    /** Send examples in the v23.0 spec: 32 media and template + 19 others (the sandbox's replay counts). */
    private static final int SEND_EXAMPLES = 51;
    private static final Set<String> NOT_IN_A_JOB =
            Set.of("messaging_product", "recipient_type", "to", "biz_opaque_callback_data");

    private final JobValidator validator = new JobValidator(Set.of("acme-de"));

    static Stream<Example> sends() {
        return SpecExamples.sends();
    }

    static Stream<Example> notSends() {
        return SpecExamples.NOT_SENDS.stream().sorted().map(SpecExamples::named);
    }

    @Test
    void theSpecHoldsEverySendExampleAndEveryExclusion() {
        assertThat(sends()).hasSize(SEND_EXAMPLES);
        assertThat(SpecExamples.all()).extracting(Example::name).containsAll(SpecExamples.NOT_SENDS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sends")
    void everySendExampleIsAValidJob(Example example) {
        ObjectNode job = job(message(example));

        JobValidation validation = validator.validate(job);

        assertThat(validation).as("%s", job).isInstanceOf(JobValidation.Valid.class);
    }

    /** Neither declares a type, so both are text messages without text: refused, as the API refuses them. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("notSends")
    void theExamplesThatAreNoSendsAreRefusedAsTextWithoutText(Example example) {
        JobValidation validation = validator.validate(job(message(example)));

        assertThat(validation).isInstanceOfSatisfying(JobValidation.Invalid.class, invalid ->
                assertThat(invalid.problems()).extracting(Problem::path).containsExactly("message.text"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sends")
    void theWalkerFindsExactlyTheMediaObjectsOfEverySendExample(Example example) {
        ObjectNode message = message(example);

        List<MediaObjects.Found> found = MediaObjects.find(message);

        assertThat(found).extracting(MediaObjects.Found::pointer).as("%s", message)
                .containsExactlyInAnyOrderElementsOf(mediaPointers(message, "", ""));
        assertThat(found).allSatisfy(f -> assertThat(message.at(f.pointer())).isSameAs(f.object()));
    }

    @Test
    void theExamplesHoldMediaByIdAndByLink() {
        List<MediaObjects.Found> found = sends().flatMap(e -> MediaObjects.find(message(e)).stream()).toList();

        assertThat(found).anyMatch(MediaObjects.Found::byLink).anyMatch(f -> !f.byLink());
    }

    /** The example as a job's message, placeholders filled with fake media IDs and links. */
    private static ObjectNode message(Example example) {
        ObjectNode message = (ObjectNode) SpecExamples.fill(example.body(), kind -> "fake-" + kind + "-id",
                kind -> "https://cdn.example.com/" + SpecExamples.SAMPLE_FOR.get(kind));
        message.remove(NOT_IN_A_JOB);
        return message;
    }

    private static ObjectNode job(ObjectNode message) {
        ObjectNode job = Json.mapper().createObjectNode();
        job.put("v", 1).put("job_id", "x").put("campaign_id", "c").put("channel", "acme-de")
                .put("to", "+4915123456789").set("message", message);
        return job;
    }

    /**
     * Independently of the walker: the JSON pointer of every object, anywhere, that sits under a media
     * name ({@link SpecExamples#MEDIA}) and has an {@code id} or a {@code link}.
     */
    private static List<String> mediaPointers(JsonNode node, String pointer, String key) {
        List<String> pointers = new ArrayList<>();
        if (node.isObject()) {
            if (SpecExamples.MEDIA.contains(key) && (node.has("id") || node.has("link"))) {
                pointers.add(pointer);
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                pointers.addAll(mediaPointers(field.getValue(), pointer + "/" + escape(field.getKey()),
                        field.getKey()));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                pointers.addAll(mediaPointers(node.get(i), pointer + "/" + i, ""));
            }
        }
        return pointers;
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
