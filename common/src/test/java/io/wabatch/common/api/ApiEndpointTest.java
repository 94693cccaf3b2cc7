package io.wabatch.common.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wabatch.common.secret.Secret;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiEndpointTest {

    private static final Secret KEY = Secret.of("super-secret-key");

    @ParameterizedTest
    @CsvSource({"360dialog,D360", "d360,D360", " D360 ,D360", "meta,META", "Cloud,META", "META,META"})
    void parsesProviderNames(String value, Provider expected) {
        assertThat(Provider.parse(value)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "whatsapp", "360"})
    void rejectsUnknownProviderNamesListingTheAcceptedOnes(String value) {
        assertThatThrownBy(() -> Provider.parse(value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("360dialog, d360, meta, cloud");
    }

    @Test
    void templateListsAreTheAccountsOnMetaAndTheKeysOn360dialog() {
        ApiEndpoint meta = ApiEndpoint.meta(URI.create("https://graph.facebook.com/v23.0"), null, "106540352242922", KEY);
        ApiEndpoint d360 = ApiEndpoint.d360(URI.create("https://proxy.example.com/wa/"), KEY);

        assertThat(meta.templatesPath("102290129340398")).isEqualTo("/v23.0/102290129340398/message_templates");
        assertThat(d360.templatesPath(null)).isEqualTo("/wa/v1/configs/templates");
        assertThatThrownBy(() -> meta.templatesPath("../me")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> meta.templatesPath(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dialogPathsHangOffTheBaseUrl() {
        ApiEndpoint endpoint = ApiEndpoint.d360(URI.create("https://waba-v2.360dialog.io/"), KEY);

        assertThat(endpoint.baseUrl()).hasToString("https://waba-v2.360dialog.io");
        assertThat(endpoint.messagesPath()).isEqualTo("/messages");
        assertThat(endpoint.marketingMessagesPath()).isEqualTo("/marketing_messages");
        assertThat(endpoint.mediaPath()).isEqualTo("/media");
        assertThat(endpoint.mediaItemPath("1234")).isEqualTo("/1234");
        assertThat(endpoint.provider().authHeaderName()).isEqualTo("D360-API-KEY");
        assertThat(endpoint.authHeaderValue()).isEqualTo("super-secret-key");
        assertThat(endpoint.ssl()).isTrue();
        assertThat(endpoint.port()).isEqualTo(443);
    }

    @Test
    void metaPathsCarryVersionAndNumberAndKeepABasePrefix() {
        ApiEndpoint endpoint = ApiEndpoint.meta(URI.create("http://127.0.0.1:8080/meta"), "v23.0", "106540352242922",
                KEY);

        assertThat(endpoint.messagesPath()).isEqualTo("/meta/v23.0/106540352242922/messages");
        assertThat(endpoint.marketingMessagesPath()).isEqualTo("/meta/v23.0/106540352242922/marketing_messages");
        assertThat(endpoint.mediaPath()).isEqualTo("/meta/v23.0/106540352242922/media");
        assertThat(endpoint.mediaItemPath("987")).isEqualTo("/meta/v23.0/987");
        assertThat(endpoint.provider().authHeaderName()).isEqualTo("Authorization");
        assertThat(endpoint.authHeaderValue()).isEqualTo("Bearer super-secret-key");
        assertThat(endpoint.ssl()).isFalse();
        assertThat(endpoint.port()).isEqualTo(8080);
    }

    @Test
    void toStringNeverRevealsTheCredential() {
        ApiEndpoint endpoint = ApiEndpoint.meta(URI.create("https://graph.facebook.com"), "v23.0", "1", KEY);

        assertThat(endpoint.toString()).doesNotContain("super-secret-key").contains("[secret]");
    }

    @Test
    void metaNeedsAVersionAndANumber() {
        URI graph = URI.create("https://graph.facebook.com");
        assertThatThrownBy(() -> ApiEndpoint.meta(graph, null, "1", KEY)).hasMessageContaining("apiVersion");
        assertThatThrownBy(() -> ApiEndpoint.meta(graph, "23", "1", KEY)).hasMessageContaining("v23.0");
        assertThatThrownBy(() -> ApiEndpoint.meta(graph, "v23.0", " ", KEY)).hasMessageContaining("phoneNumberId");
        assertThatThrownBy(() -> ApiEndpoint.meta(URI.create("https://graph.facebook.com/v23.0"), "v22.0", "1", KEY))
                .hasMessageContaining("names version v23.0 but apiVersion is v22.0");
    }

    @Test
    void metaVersionMayComeWithTheBaseUrlAsTheFactsWriteIt() {
        ApiEndpoint endpoint = ApiEndpoint.meta(URI.create("https://graph.facebook.com/v23.0/"), null, "1", KEY);

        assertThat(endpoint.baseUrl()).hasToString("https://graph.facebook.com");
        assertThat(endpoint.apiVersion()).isEqualTo("v23.0");
        assertThat(endpoint.messagesPath()).isEqualTo("/v23.0/1/messages");
        assertThat(ApiEndpoint.meta(URI.create("https://graph.facebook.com/v23.0"), "v23.0", "1", KEY))
                .isEqualTo(endpoint);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://host", "/relative", "https://host?x=1", "https://user@host", "https://host#f"})
    void rejectsBaseUrlsThatAreNotPlainHttp(String url) {
        assertThatThrownBy(() -> ApiEndpoint.d360(URI.create(url), KEY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baseUrl");
    }

    @Test
    void requiresACredential() {
        assertThatThrownBy(() -> ApiEndpoint.d360(URI.create("https://h"), null)).hasMessageContaining("credential");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../x", "a/b", "a?b", "a b"})
    void rejectsMediaIdsThatAreNotAPathSegment(String id) {
        ApiEndpoint endpoint = ApiEndpoint.d360(URI.create("https://h"), KEY);

        assertThatThrownBy(() -> endpoint.mediaItemPath(id)).isInstanceOf(IllegalArgumentException.class);
    }
}
