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

    private static com.fasterxml.jackson.databind.JsonNode tree(String json) {
        return ApiJson.tree(json.getBytes(StandardCharsets.UTF_8));
    }
}
