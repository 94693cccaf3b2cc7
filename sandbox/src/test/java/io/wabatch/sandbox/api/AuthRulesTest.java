package io.wabatch.sandbox.api;

import static io.wabatch.sandbox.api.TestSandbox.D360_ID;
import static io.wabatch.sandbox.api.TestSandbox.META_ID;
import static io.wabatch.sandbox.api.TestSandbox.META_TOKEN;
import static io.wabatch.sandbox.api.TestSandbox.OTHER_ID;
import static io.wabatch.sandbox.api.TestSandbox.OTHER_TOKEN;
import static io.wabatch.sandbox.api.TestSandbox.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.wabatch.sandbox.api.RawHttp.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(60)
class AuthRulesTest {

    private static final String D360_401 =
            "{\"meta\":{\"httpCode\":401,\"developerMessage\":\"Invalid api_key or token expired\",\"success\":false}}";

    private static TestSandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = TestSandbox.start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    @ParameterizedTest(name = "{0} {1} with key ''{2}''")
    @CsvSource({"POST, /messages, wrong-key", "POST, /messages, ''", "POST, /media, wrong-key",
        "GET, /12345, wrong-key", "DELETE, /12345, ''"})
    void d360UnknownOrMissingKeyIs401WithTheGatewayBody(String method, String path, String key) {
        Response response = sandbox.http.send(method, sandbox.server.baseUrl() + path, "D360-API-KEY",
                key.isEmpty() ? null : key, method.equals("POST") ? text("+4915112345678", "hi") : null);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.body()).isEqualTo(D360_401);
    }

    @Test
    void d360KeyIsNotAMetaToken() {
        Response response = sandbox.sendMeta(META_ID, TestSandbox.D360_KEY, text("+4915112345678", "hi"));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.code()).isEqualTo(190);
    }

    @Test
    void metaUnknownTokenIs401Code190InMetaShape() {
        Response response = sandbox.sendMeta(META_ID, "not-a-token", text("+4915112345678", "hi"));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.code()).isEqualTo(190);
        assertThat(response.message()).isEqualTo("Invalid OAuth access token - Cannot parse access token");
        assertThat(response.json().path("error").path("type").asText()).isEqualTo("OAuthException");
        assertThat(response.json().path("error").path("fbtrace_id").asText()).isNotBlank();
        assertThat(sandbox.server.stats(META_ID).rejectedByCode()).containsEntry(190, 1L);
    }

    @Test
    void metaMissingAuthorizationIs401() {
        Response response = sandbox.sendMeta(META_ID, null, text("+4915112345678", "hi"));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.code()).isEqualTo(190);
    }

    @Test
    void metaTokenOfAnotherNumberIsAnUnsupportedPostRequest() {
        Response response = sandbox.sendMeta(OTHER_ID, META_TOKEN, text("+4915112345678", "hi"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo(100);
        assertThat(response.json().path("error").path("error_subcode").asInt()).isEqualTo(33);
        assertThat(response.message()).startsWith("Unsupported post request. Object with ID '" + OTHER_ID + "'");
        assertThat(sandbox.server.stats(OTHER_ID).rejectedByCode()).containsEntry(100, 1L);
        assertThat(sandbox.server.stats(OTHER_ID).accepted()).isZero();
    }

    @Test
    void metaUnknownPhoneNumberIdIsAnUnsupportedPostRequest() {
        Response response = sandbox.sendMeta("999999999999999", META_TOKEN, text("+4915112345678", "hi"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo(100);
    }

    @Test
    void metaUploadWithAnotherNumbersTokenIsRejected() {
        Response response = sandbox.http.multipart(sandbox.server.metaBaseUrl() + "/" + META_ID + "/media",
                "Authorization", "Bearer " + OTHER_TOKEN, TestSandbox.form("a.txt", "text/plain", new byte[] {'a'}));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo(100);
        assertThat(sandbox.server.uploads()).isEmpty();
    }

    @Test
    void bothProvidersAcceptAValidMessageWithMetasSuccessShape() {
        Response d360 = sandbox.send360(text("+49 (151) 123-45678", "hallo"));
        Response meta = sandbox.sendMeta(text("+16505551234", "hello"));

        assertThat(d360.status()).isEqualTo(200);
        assertThat(d360.json().path("messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(d360.json().path("contacts").get(0).path("input").asText()).isEqualTo("+49 (151) 123-45678");
        assertThat(d360.json().path("contacts").get(0).path("wa_id").asText()).isEqualTo("4915112345678");
        assertThat(d360.json().path("messages").get(0).path("id").asText()).startsWith("wamid.");
        assertThat(meta.status()).isEqualTo(200);
        assertThat(sandbox.server.stats(D360_ID).accepted()).isEqualTo(1);
        assertThat(sandbox.server.stats(META_ID).accepted()).isEqualTo(1);
    }

    @ParameterizedTest(name = "version {0} -> {1}")
    @CsvSource({"v23.0, 200", "v99.12, 200", "v23, 400", "23.0, 400", "vx.y, 400"})
    void metaPathVersionMustLookLikeVMajorMinor(String version, int status) {
        Response response = sandbox.http.send("POST", sandbox.server.baseUrl() + "/" + version + "/" + META_ID
                + "/messages", "Authorization", "Bearer " + META_TOKEN, text("+16505551234", "hi"));

        assertThat(response.status()).isEqualTo(status);
        if (status == 400) {
            assertThat(response.code()).isEqualTo(100);
        }
    }
}
