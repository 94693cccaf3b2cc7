package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import io.wabatch.sandbox.api.RawHttp.Multipart;
import io.wabatch.sandbox.api.RawHttp.Response;
import io.wabatch.sandbox.origin.MediaOrigin;
import java.io.IOException;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A sandbox on a free port with the demo numbers plus a second Meta number, and raw HTTP helpers
 * for both providers. One per test class; {@link #reset()} between tests. The pair rate limit is off
 * unless {@code customize} sets it (most rule tests send many messages to one recipient).
 */
final class TestSandbox implements AutoCloseable {

    static final String D360_ID = SandboxConfig.DEMO_D360_NUMBER_ID;
    static final String D360_KEY = SandboxConfig.DEMO_D360_API_KEY;
    static final String META_ID = SandboxConfig.DEMO_META_NUMBER_ID;
    static final String META_TOKEN = SandboxConfig.DEMO_META_ACCESS_TOKEN;
    static final String OTHER_ID = "200000000000002";
    static final String OTHER_TOKEN = "sandbox-meta-token-2";

    final SandboxServer server;
    final RawHttp http = new RawHttp();

    private TestSandbox(SandboxServer server) {
        this.server = server;
    }

    static TestSandbox start() {
        return start(UnaryOperator.identity());
    }

    static TestSandbox start(UnaryOperator<SandboxConfig.Builder> customize) {
        SandboxConfig.Builder builder = SandboxConfig.defaults().toBuilder()
                .number(SandboxNumber.meta(OTHER_ID, "+1 555 000 0002", OTHER_TOKEN))
                .pairLimit(PairLimit.disabled());
        return new TestSandbox(SandboxServer.start(customize.apply(builder).build()));
    }

    /** Turns {@code 'single'} quotes into JSON's double quotes, for readable bodies in tests. */
    static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    /** As {@link #json}, and fails the test unless the result is exactly one JSON value (no stray braces). */
    static String strictJson(String singleQuoted) {
        String json = json(singleQuoted);
        try {
            RawHttp.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(json);
        } catch (IOException e) {
            throw new AssertionError("test body is not one JSON value: " + json, e);
        }
        return json;
    }

    /** A valid text message body. */
    /** An interactive message to a fixed recipient; {@code fields} are the interactive object's, ' for ". */
    static String interactive(String fields) {
        return strictJson("{'messaging_product':'whatsapp','to':'+4915112345678','type':'interactive',"
                + "'interactive':{" + fields + "}}");
    }

    /**
     * Sends {@code body} to both providers' endpoints and checks each refused it with HTTP 400,
     * {@code code} and details, and that the Meta number accepted nothing and saw no link media.
     */
    void assertRejected(String name, String body, int code) {
        for (RawHttp.Response response : new RawHttp.Response[] {sendMeta(body), send360(body)}) {
            org.assertj.core.api.Assertions.assertThat(response.status()).as(name + ": " + response.body())
                    .isEqualTo(400);
            org.assertj.core.api.Assertions.assertThat(response.code()).as(name + ": " + response.body())
                    .isEqualTo(code);
            org.assertj.core.api.Assertions.assertThat(response.details()).isNotBlank();
        }
        org.assertj.core.api.Assertions.assertThat(server.stats(META_ID).accepted()).isZero();
        org.assertj.core.api.Assertions.assertThat(server.stats(META_ID).linkMedia()).isZero();
    }

    static String text(String to, String body) {
        return json("{'messaging_product':'whatsapp','to':'" + to + "','type':'text','text':{'body':'" + body + "'}}");
    }

    Response sendMeta(String body) {
        return sendMeta(META_ID, META_TOKEN, body);
    }

    Response sendMeta(String numberId, String token, String body) {
        return http.send("POST", server.metaBaseUrl() + "/" + numberId + "/messages", "Authorization",
                token == null ? null : "Bearer " + token, body);
    }

    Response send360(String body) {
        return http.send("POST", server.baseUrl() + "/messages", "D360-API-KEY", D360_KEY, body);
    }

    Response uploadMeta(Multipart form) {
        return http.multipart(server.metaBaseUrl() + "/" + META_ID + "/media", "Authorization",
                "Bearer " + META_TOKEN, form);
    }

    Response upload360(Multipart form) {
        return http.multipart(server.baseUrl() + "/media", "D360-API-KEY", D360_KEY, form);
    }

    /** A well-formed upload in Meta's form: {@code type} field plus the part's own Content-Type. */
    static Multipart form(String filename, String mime, byte[] content) {
        return new Multipart().field("messaging_product", "whatsapp").field("type", mime)
                .file("file", filename, mime, content);
    }

    /** Uploads a bundled sample to the Meta number and returns its media ID. */
    String uploadSampleMeta(String sample) {
        return uploadMeta(form(sample, MediaOrigin.SAMPLES.get(sample), MediaOrigin.sample(sample)))
                .json().get("id").asText();
    }

    /** Uploads a bundled sample to the 360dialog number and returns its media ID. */
    String uploadSample360(String sample) {
        return upload360(form(sample, MediaOrigin.SAMPLES.get(sample), MediaOrigin.sample(sample)))
                .json().get("id").asText();
    }

    /** A Meta send that gives up after {@code timeout}; a transport failure throws {@code UncheckedIOException}. */
    Response sendMeta(String body, Duration timeout) {
        return sendMeta(http, body, timeout);
    }

    /** As above, through {@code client} (e.g. one pinned to HTTP/1.1). */
    Response sendMeta(RawHttp client, String body, Duration timeout) {
        return client.send("POST", server.metaBaseUrl() + "/" + META_ID + "/messages", "Authorization",
                "Bearer " + META_TOKEN, body, timeout);
    }

    Response admin(String method, String path, String body) {
        return http.send(method, server.baseUrl() + path, null, null, body);
    }

    /** Clears the record and restores the configured mps, pair limit, latency and faults; ends storms. */
    void reset() {
        server.reset();
        server.setMps(META_ID, SandboxNumber.DEFAULT_MPS);
        server.setMps(D360_ID, SandboxNumber.DEFAULT_MPS);
        server.setPairLimit(server.config().pairLimit());
        server.setLatency(server.config().latency());
        server.setFaults(server.config().faults());
        server.stopStorms();
    }

    @Override
    public void close() {
        server.close();
    }
}
