package io.wabatch.common.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiAnswersTest {

    @Test
    void readsAcceptedMessageWithOptionalStatus() {
        assertThat(ApiAnswers.messageAccepted(tree("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":"
                + "\"+16505551234\",\"wa_id\":\"16505551234\"}],\"messages\":[{\"id\":\"wamid.HBgL\","
                + "\"message_status\":\"accepted\"}]}")))
                .isEqualTo(new MessageAccepted("wamid.HBgL", "16505551234", "accepted"));
        assertThat(ApiAnswers.messageAccepted(tree("{\"messages\":[{\"id\":\"wamid.X\"}]}")))
                .isEqualTo(new MessageAccepted("wamid.X", null, null));
    }

    @Test
    void readsTheBusinessScopedUserIdOfTheContact() {
        // Meta's 2026 answer: contacts[] names the user by wa_id (when sent by 'to') and user_id.
        assertThat(ApiAnswers.messageAccepted(tree("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":"
                + "\"+16505551234\",\"wa_id\":\"16505551234\",\"user_id\":\"US.13491208655302741918\"}],"
                + "\"messages\":[{\"id\":\"wamid.HBgL\"}]}")))
                .isEqualTo(new MessageAccepted("wamid.HBgL", "16505551234", null, "US.13491208655302741918"));
        assertThat(ApiAnswers.messageAccepted(tree("{\"contacts\":[{\"input\":\"US.13491208655302741918\","
                + "\"user_id\":\"US.13491208655302741918\"}],\"messages\":[{\"id\":\"wamid.B\"}]}")).waId())
                .as("sent by recipient: no wa_id").isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{}", "{\"messages\":[]}", "{\"messages\":[{\"id\":\"\"}]}", "<html>"})
    void anAcceptanceWithoutAWamidIsNoAcceptance(String body) {
        assertThat(ApiAnswers.messageAccepted(tree(body))).isNull();
    }

    @Test
    void readsUploadedMediaId() {
        assertThat(ApiAnswers.mediaUploaded(tree("{\"id\":\"1234\"}"))).isEqualTo(new MediaUploaded("1234"));
        assertThat(ApiAnswers.mediaUploaded(tree("{}"))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"303833\"", "303833"})
    void readsMediaInfoWithTheSizeAsStringOrNumber(String size) {
        MediaInfo info = ApiAnswers.mediaInfo(tree("{\"messaging_product\":\"whatsapp\",\"url\":\"https://x/y\","
                + "\"mime_type\":\"image/jpeg\",\"sha256\":\"abc\",\"file_size\":" + size + ",\"id\":\"42\"}"), "42");

        assertThat(info).isEqualTo(new MediaInfo("42", "https://x/y", "image/jpeg", "abc", 303833));
    }

    @Test
    void mediaInfoWithoutSizeOrIdFallsBack() {
        assertThat(ApiAnswers.mediaInfo(tree("{\"url\":\"u\"}"), "7")).isEqualTo(new MediaInfo("7", "u", null, null, -1));
        assertThat(ApiAnswers.mediaInfo(tree("[]"), "7")).isNull();
    }

    @Test
    void deleteIsConfirmedOnlyBySuccessTrue() {
        assertThat(ApiAnswers.deleted(tree("{\"success\":true}"))).isTrue();
        assertThat(ApiAnswers.deleted(tree("{\"success\":false}"))).isFalse();
        assertThat(ApiAnswers.deleted(tree("{}"))).isFalse();
        assertThat(ApiAnswers.deleted(tree(""))).isNull();
    }

    @Test
    void readsAMetaTemplatePageWithANextCursorOnlyWhenPagingHasNext() {
        TemplatePage more = ApiAnswers.templatePage(tree("{\"data\":[{\"name\":\"a\"},{\"name\":\"b\"},7],"
                + "\"paging\":{\"cursors\":{\"before\":\"MAZDZD\",\"after\":\"MjQZD\"},\"next\":\"https://x\"}}"),
                Provider.META);
        TemplatePage last = ApiAnswers.templatePage(tree("{\"data\":[],\"paging\":{\"cursors\":{\"before\":\"A\","
                + "\"after\":\"B\"}}}"), Provider.META);

        assertThat(more.templates()).extracting(t -> t.path("name").asText()).containsExactly("a", "b");
        assertThat(more.next()).isEqualTo("MjQZD");
        assertThat(last.templates()).isEmpty();
        assertThat(last.next()).isNull();
    }

    @Test
    void reads360dialogTemplatePagesByOffsetAndTotal() {
        TemplatePage first = ApiAnswers.templatePage(tree("{\"count\":2,\"filters\":{},\"limit\":2,\"offset\":0,"
                + "\"sort\":[\"id\"],\"total\":3,\"waba_templates\":[{\"name\":\"a\"},{\"name\":\"b\"}]}"),
                Provider.D360);
        TemplatePage last = ApiAnswers.templatePage(tree("{\"offset\":\"2\",\"total\":3,\"waba_templates\":"
                + "[{\"name\":\"c\"}]}"), Provider.D360);

        assertThat(first.next()).isEqualTo("2");
        assertThat(last.templates()).hasSize(1);
        assertThat(last.next()).isNull();
        assertThat(ApiAnswers.templatePage(tree("{\"waba_templates\":[]}"), Provider.D360).next()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{}", "{\"data\":{}}", "[]"})
    void aBodyWithoutATemplateArrayIsNoPage(String body) {
        assertThat(ApiAnswers.templatePage(tree(body), Provider.META)).isNull();
    }

    private static com.fasterxml.jackson.databind.JsonNode tree(String json) {
        return ApiJson.tree(json.getBytes(StandardCharsets.UTF_8));
    }
}
