package io.wabatch.common.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TransportFailureTest {

    static Stream<Arguments> failures() {
        return Stream.of(
                arguments(new ConnectException("Connection refused: localhost/127.0.0.1:1"),
                        TransportFailure.CONNECTION_REFUSED),
                arguments(new ConnectTimeoutException("connection timed out: api/10.0.0.1:443"),
                        TransportFailure.CONNECT_TIMEOUT),
                arguments(new TimeoutException("The timeout of 5000 ms has been exceeded when getting a connection"
                        + " to localhost:8080"), TransportFailure.CONNECT_TIMEOUT),
                arguments(new TimeoutException("The timeout period of 30000ms has been exceeded while executing"
                        + " POST /messages for server localhost:8080"), TransportFailure.RESPONSE_TIMEOUT),
                arguments(new TimeoutException(), TransportFailure.RESPONSE_TIMEOUT),
                arguments(new UnknownHostException("waba.invalid"), TransportFailure.UNKNOWN_HOST),
                arguments(new VertxException(new SSLHandshakeException("PKIX path building failed")),
                        TransportFailure.TLS_HANDSHAKE),
                arguments(new ConnectionPoolTooBusyException("Connection pool reached max wait queue size of 0"),
                        TransportFailure.POOL_EXHAUSTED),
                arguments(new HttpClosedException("Connection was closed"), TransportFailure.CONNECTION_LOST),
                arguments(new IOException("Connection reset by peer"), TransportFailure.CONNECTION_LOST),
                arguments(new IllegalStateException("odd"), TransportFailure.OTHER),
                arguments(new CompletionException(new ConnectException("Connection refused")),
                        TransportFailure.CONNECTION_REFUSED),
                arguments(new ExecutionException(new CompletionException(new TimeoutException("idle"))),
                        TransportFailure.RESPONSE_TIMEOUT));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("failures")
    void mapsExceptionsThroughWrappersToFailures(Throwable failure, TransportFailure expected) {
        assertThat(TransportFailure.of(failure)).isEqualTo(expected);
    }
}
