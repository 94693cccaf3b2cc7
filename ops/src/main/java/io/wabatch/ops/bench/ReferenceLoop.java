package io.wabatch.ops.bench;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code ceiling} scenario's reference: a plain Vert.x HTTP loop that keeps {@code inFlight}
 * text messages in flight against the same sandbox (two event loops, a connection per request in
 * flight), with no Kafka, no JSON mapping, no pacing. What wabatch reaches is judged against it.
 */
final class ReferenceLoop {

    private static final int IN_FLIGHT = 256;
    private static final int LOOPS = 2;

    private ReferenceLoop() {
    }

    /** Runs the loop for {@code warmUp} plus {@code measured}; returns the 200 answers per second in the second part. */
    static double run(String baseUrl, List<BenchChannel> channels, Duration warmUp, Duration measured) throws Exception {
        Duration length = warmUp.plus(measured);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(LOOPS));
        AtomicLong ok = new AtomicLong();
        AtomicLong recipients = new AtomicLong(500_000_000);
        long deadline = System.nanoTime() + length.toNanos();
        URI base = URI.create(baseUrl);
        try {
            vertx.deployVerticle(() -> new AbstractVerticle() {
                @Override
                public void start() {
                    WebClient client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true)
                                    .setPipelining(false).setTcpNoDelay(true).setDefaultHost(base.getHost())
                                    .setDefaultPort(base.getPort()),
                            new PoolOptions().setHttp1MaxSize(IN_FLIGHT / LOOPS));
                    for (int i = 0; i < IN_FLIGHT / LOOPS; i++) {
                        send(client, i);
                    }
                }

                private void send(WebClient client, int slot) {
                    if (System.nanoTime() > deadline) {
                        return;
                    }
                    BenchChannel channel = channels.get(slot % channels.size());
                    String body = "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"to\":\""
                            + JobFeed.recipient(recipients.incrementAndGet()).substring(1)
                            + "\",\"type\":\"text\",\"text\":{\"body\":\"Hello, your order has shipped.\"}}";
                    client.post(base.getPath().replaceAll("/$", "") + "/messages")
                            .putHeader("D360-API-KEY", channel.apiKey())
                            .putHeader("content-type", "application/json")
                            .sendBuffer(Buffer.buffer(body))
                            .onComplete(answer -> {
                                if (answer.succeeded() && answer.result().statusCode() == 200) {
                                    ok.incrementAndGet();
                                }
                                send(client, slot);
                            });
                }
            }, new DeploymentOptions().setInstances(LOOPS)).toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            ChildJvm.sleep(Math.max(0, (deadline - measured.toNanos() - System.nanoTime()) / 1_000_000));
            long before = ok.get();
            long from = System.nanoTime();
            ChildJvm.sleep(Math.max(0, (deadline - from) / 1_000_000));
            double rate = (ok.get() - before) / ((System.nanoTime() - from) / 1e9);
            ChildJvm.sleep(200); // the last answers
            return rate;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
