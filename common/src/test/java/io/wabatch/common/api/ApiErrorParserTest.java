package io.wabatch.common.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiErrorParserTest {

    @Test
    void metaShapeYieldsCodeTitleWithoutPrefixDetailsAndTrace() {
        String body = """
                {"error":{"message":"(#131056) (Business Account, Consumer Account) pair rate limit hit",
                 "type":"OAuthException","code":131056,"error_subcode":2494055,
                 "error_data":{"messaging_product":"whatsapp","details":"Message failed to send"},
                 "fbtrace_id":"Az8or2yhqkZfEZ-_4Qn_Bam"}}""";

        ApiError error = ApiErrorParser.parse(400, body);

        assertThat(error).isEqualTo(new ApiError(400, 131056, 2494055,
                "(Business Account, Consumer Account) pair rate limit hit", "Message failed to send",
                "Az8or2yhqkZfEZ-_4Qn_Bam", false));
        assertThat(error.describe()).isEqualTo("HTTP 400 (#131056/2494055) (Business Account, Consumer Account)"
                + " pair rate limit hit: Message failed to send");
    }

    @Test
    void metaShapeAcceptsTheCodeAsANumericString() {
        ApiError error = ApiErrorParser.parse(429, "{\"error\":{\"message\":\"(#130429) Rate limit hit\","
                + "\"code\":\"130429\",\"error_subcode\":\"7\"}}");

        assertThat(error.code()).isEqualTo(130429);
        assertThat(error.subcode()).isEqualTo(7);
        assertThat(error.title()).isEqualTo("Rate limit hit");
    }

    @Test
    void metaShapeWithMissingFieldsKeepsNulls() {
        ApiError error = ApiErrorParser.parse(401, "{\"error\":{\"message\":\"Invalid OAuth access token\"}}");

        assertThat(error).isEqualTo(new ApiError(401, null, null, "Invalid OAuth access token", null, null, false));
        assertThat(error.describe()).isEqualTo("HTTP 401 Invalid OAuth access token");
    }

    @Test
    void metaShapeWithANonNumericCodeHasNoCode() {
        ApiError error = ApiErrorParser.parse(400, "{\"error\":{\"code\":\"abc\",\"message\":\"odd\"}}");

        assertThat(error.code()).isNull();
        assertThat(error.title()).isEqualTo("odd");
    }

    @Test
    void metaShapeFallsBackToTheUserMessageForDetails() {
        ApiError error = ApiErrorParser.parse(400, "{\"error\":{\"code\":100,\"message\":\"(#100) Invalid parameter\","
                + "\"error_user_msg\":\"Check the phone number\"}}");

        assertThat(error.details()).isEqualTo("Check the phone number");
    }

    @Test
    void dialogGatewayShapeIsTheTitle() {
        ApiError error = ApiErrorParser.parse(400, "{\"error\":\"Invalid request\"}");

        assertThat(error).isEqualTo(new ApiError(400, null, null, "Invalid request", null, null, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"meta\":{\"httpCode\":400,\"developerMessage\":\"Bad header\",\"success\":false}}",
        "{\"meta\":{\"http_code\":400,\"developer_message\":\"Bad header\",\"success\":false}}"})
    void metaEnvelopeShapeInBothSpellingsIsTheTitle(String body) {
        ApiError error = ApiErrorParser.parse(400, body);

        assertThat(error).isEqualTo(new ApiError(400, null, null, "Bad header", null, null, false));
    }

    @Test
    void onPremiseErrorsArrayYieldsItsFirstEntry() {
        ApiError error = ApiErrorParser.parse(404, "{\"meta\":{\"api_status\":\"stable\"},"
                + "\"errors\":[{\"code\":1006,\"title\":\"Resource not found\",\"details\":\"unknown contact\"}]}");

        assertThat(error).isEqualTo(new ApiError(404, 1006, null, "Resource not found", "unknown contact", null, false));
    }

    @Test
    void htmlBodyBecomesAShortTagFreeExcerpt() {
        String html = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1>"
                + "</center><hr><center>nginx</center>" + "x".repeat(1000) + "</body></html>";

        ApiError error = ApiErrorParser.parse(502, html);

        assertThat(error.code()).isNull();
        assertThat(error.title()).isNull();
        assertThat(error.details()).startsWith("502 Bad Gateway 502 Bad Gateway nginx")
                .hasSize(ApiErrorParser.EXCERPT_LENGTH + 1).endsWith("…");
        assertThat(error.transport()).isFalse();
    }

    @Test
    void jsonOfAnUnknownShapeBecomesAnExcerpt() {
        ApiError error = ApiErrorParser.parse(500, "{\"status\":\"down\"}");

        assertThat(error).isEqualTo(new ApiError(500, null, null, null, "{\"status\":\"down\"}", null, false));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\n"})
    void emptyBodyHasNoCodeAndNoDetails(String body) {
        ApiError error = ApiErrorParser.parse(503, body);

        assertThat(error).isEqualTo(new ApiError(503, null, null, null, null, null, false));
        assertThat(error.describe()).isEqualTo("HTTP 503");
    }

    @Test
    void bufferAndStringBodiesParseAlike() {
        String body = "{\"error\":{\"message\":\"(#100) Invalid parameter\",\"code\":100}}";

        assertThat(ApiErrorParser.parse(400, Buffer.buffer(body))).isEqualTo(ApiErrorParser.parse(400, body));
        assertThat(ApiErrorParser.parse(400, (Buffer) null)).isEqualTo(ApiErrorParser.parse(400, (String) null));
    }

    @Test
    void statusWebhookErrorEntryHasNoHttpStatus() throws Exception {
        var entry = new ObjectMapper().readTree("{\"code\":131053,\"title\":\"Media upload error\","
                + "\"message\":\"Media upload error\",\"error_data\":{\"details\":\"Downloading media from weblink"
                + " failed with http code 403, status message Forbidden\"}}");

        ApiError error = ApiErrorParser.fromStatusError(entry);

        assertThat(error.httpStatus()).isZero();
        assertThat(error.transport()).isFalse();
        assertThat(error.code()).isEqualTo(131053);
        assertThat(error.title()).isEqualTo("Media upload error");
        assertThat(error.details()).startsWith("Downloading media from weblink failed");
        assertThat(error.describe()).startsWith("status webhook (#131053) Media upload error: Downloading");
    }
}
