package io.wabatch.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Plain {@link HttpClient} requests, deliberately independent of any wabatch client: the tests
 * check the sandbox at the wire.
 */
final class RawHttp {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient client;

    /** A client with the JDK's default version preference (HTTP/2, h2c upgrade where the server agrees). */
    RawHttp() {
        this(HttpClient.Version.HTTP_2);
    }

    /** A client preferring {@code version}. */
    RawHttp(HttpClient.Version version) {
        client = HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A response with its JSON body parsed on demand. */
    record Response(int status, String body) {
        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        /** {@code error.code}, or 0 for a success. */
        int code() {
            return json().path("error").path("code").asInt(0);
        }

        String details() {
            return json().path("error").path("error_data").path("details").asText();
        }

        String message() {
            return json().path("error").path("message").asText();
        }
    }

    /** A request with JSON body and optional header. */
    Response send(String method, String url, String header, String value, String jsonBody) {
        return send(method, url, header, value, jsonBody, Duration.ofSeconds(30));
    }

    /** As above, giving up after {@code timeout} ({@code UncheckedIOException} wrapping {@code HttpTimeoutException}). */
    Response send(String method, String url, String header, String value, String jsonBody, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        if (jsonBody != null) {
            builder.header("Content-Type", "application/json");
        }
        if (header != null && value != null) {
            builder.header(header, value);
        }
        return exchange(builder.build());
    }

    /** A multipart/form-data POST. */
    Response multipart(String url, String header, String value, Multipart form) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "multipart/form-data; boundary=" + form.boundary)
                .header(header, value)
                .POST(form.publisher()).build();
        return exchange(request);
    }

    private Response exchange(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Builds a multipart/form-data body by hand, as curl's {@code -F} would; file parts may stream from disk. */
    static final class Multipart {
        private final String boundary = "----wabatch" + UUID.randomUUID();
        private final List<HttpRequest.BodyPublisher> parts = new ArrayList<>();

        Multipart field(String name, String value) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                    + "\r\n");
            return this;
        }

        /** A file part; {@code contentType} null leaves the part without a Content-Type header. */
        Multipart file(String name, String filename, String contentType, byte[] content) {
            return file(name, filename, contentType, HttpRequest.BodyPublishers.ofByteArray(content));
        }

        /** A file part streamed from {@code file}. */
        Multipart file(String name, String filename, String contentType, Path file) throws IOException {
            return file(name, filename, contentType, HttpRequest.BodyPublishers.ofFile(file));
        }

        private Multipart file(String name, String filename, String contentType, HttpRequest.BodyPublisher body) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
                    + filename + "\"\r\n" + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                    + "\r\n");
            parts.add(body);
            write("\r\n");
            return this;
        }

        HttpRequest.BodyPublisher publisher() {
            List<HttpRequest.BodyPublisher> all = new ArrayList<>(parts);
            all.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "--\r\n", StandardCharsets.UTF_8));
            return HttpRequest.BodyPublishers.concat(all.toArray(HttpRequest.BodyPublisher[]::new));
        }

        private void write(String text) {
            parts.add(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8));
        }
    }
}
