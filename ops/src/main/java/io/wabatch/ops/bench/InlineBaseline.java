package io.wabatch.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.wabatch.common.api.ApiEndpoint;
import io.wabatch.common.api.ClientOptions;
import io.wabatch.common.api.WhatsAppClient;
import io.wabatch.common.api.WhatsAppClients;
import io.wabatch.common.secret.Secret;
import io.wabatch.common.contract.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The naive sender {@code hol} compares wabatch with: one thread that reads campaign jobs in order
 * and, for each, downloads its media (if any), uploads it to {@code /media}, then sends the message,
 * waiting for each step before the next, paced at the channel's pace. It uses the same API client
 * as wabatch; what it lacks is wabatch's structure (media prepared apart from sending, a media
 * cache, many messages in flight). Single-recipient jobs only.
 */
final class InlineBaseline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("io.wabatch.bench");

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Vertx vertx = Vertx.vertx();
    private final WebClient web;
    private final WhatsAppClient api;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Path spool;
    private final double pace;
    private final Thread thread;
    private volatile boolean running = true;

    InlineBaseline(String bootstrap, String topic, BenchChannel channel, String apiBaseUrl, Path spool) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-inline-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 600_000);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.consumer.subscribe(List.of(topic));
        this.web = WhatsAppClients.webClient(vertx, ClientOptions.defaults());
        this.api = WhatsAppClients.create(web, ApiEndpoint.d360(URI.create(apiBaseUrl), Secret.of(channel.apiKey())),
                ClientOptions.defaults());
        this.spool = spool;
        this.pace = channel.pace();
        this.thread = new Thread(this::run, "bench-inline-baseline");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        long interval = (long) (1_000_000_000L / pace);
        long next = System.nanoTime();
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    JobFeed.sleepNanos(next - System.nanoTime());
                    next = Math.max(next + interval, System.nanoTime());
                    try {
                        handle(Json.mapper().readTree(record.value()));
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        if (!running) {
                            return;
                        }
                        LOG.warn("inline baseline: a job failed: {}", e.toString());
                    }
                }
            }
        } catch (RuntimeException e) {
            if (running) {
                throw e;
            }
            // interrupted by close(), mid-poll or mid-pause
        } finally {
            consumer.close();
        }
    }

    private void handle(JsonNode job) throws Exception {
        JsonNode message = job.get("message");
        String type = message.get("type").asText();
        ObjectNode body = Json.mapper().createObjectNode().put("messaging_product", "whatsapp")
                .put("recipient_type", "individual").put("to", job.get("to").asText().substring(1)).put("type", type);
        if (type.equals("text")) {
            body.set("text", message.get("text"));
        } else {
            String link = message.get(type).get("link").asText();
            Path file = Files.createTempFile(spool, "inline-", ".bin");
            try {
                String mime = download(link, file);
                String id = await(api.upload(file, mime, "media")).value().mediaId();
                body.putObject(type).put("id", id);
            } finally {
                Files.deleteIfExists(file);
            }
        }
        await(api.send(body)).value();
    }

    private String download(String link, Path file) throws IOException, InterruptedException {
        HttpResponse<Path> response = http.send(HttpRequest.newBuilder(URI.create(link)).GET().build(),
                HttpResponse.BodyHandlers.ofFile(file));
        if (response.statusCode() != 200) {
            throw new IOException("origin answered " + response.statusCode());
        }
        return response.headers().firstValue("content-type").orElse("application/octet-stream");
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt(); // it may be half-way through a 16 s download
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        web.close();
        vertx.close();
    }
}
