package io.wabatch.common.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/** Builds the shared HTTP client and the per-channel {@link WhatsAppClient}s on it. */
public final class WhatsAppClients {

    private WhatsAppClients() {
    }

    /**
     * One {@link WebClient} for the whole process, shared by every channel's client: an HTTP/1.1
     * pool of {@link ClientOptions#maxConnections()} keep-alive connections per host (Vert.x's
     * default of 5 would cap throughput at 5 / latency) with a wait queue bounded at
     * {@link ClientOptions#maxWaitQueue()}; no pipelining (one slow answer would hold up the
     * others), no redirects (the API sends none; following one could repeat a POST). The caller
     * owns it and closes it at shutdown, after the last call.
     */
    public static WebClient webClient(Vertx vertx, ClientOptions options) {
        WebClientOptions client = new WebClientOptions()
                .setKeepAlive(true)
                .setPipelining(false)
                .setTcpNoDelay(true)
                .setFollowRedirects(false)
                .setConnectTimeout((int) options.connectTimeout().toMillis())
                .setUserAgentEnabled(true)
                .setUserAgent(options.userAgent());
        client.setMetricsName("whatsapp-api"); // the client_name label of its vertx_http_client_* meters
        PoolOptions pool = new PoolOptions()
                .setHttp1MaxSize(options.maxConnections())
                .setMaxWaitQueueSize(options.maxWaitQueue());
        return WebClient.create(vertx, client, pool);
    }

    /**
     * A client for one channel. Cheap: build one per channel on the shared {@code WebClient};
     * closing is the {@code WebClient}'s business.
     */
    public static WhatsAppClient create(WebClient client, ApiEndpoint endpoint, ClientOptions options) {
        return new VertxWhatsAppClient(client, endpoint, options);
    }
}
