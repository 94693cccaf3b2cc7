package io.wabatch.sandbox.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Chooses the broker and controller ports by binding them briefly, the way Kafka's acceptor will
 * (SO_REUSEADDR on, so a port whose old connections sit in TIME_WAIT counts as free).
 */
final class LoopbackPorts {

    /** The ports the broker will bind and whether a requested port was replaced by a free one. */
    record Choice(int broker, int controller, boolean fellBack) {
    }

    private LoopbackPorts() {
    }

    /**
     * Resolves the requested ports (0 = any free port). Both probe sockets stay open until both are
     * chosen, so the two ports always differ.
     *
     * @throws IllegalStateException when a requested port is taken and {@code fallback} is off
     */
    static Choice choose(String host, int broker, int controller, boolean fallback) {
        try (Probe brokerProbe = Probe.bind(host, broker, fallback, "broker");
             Probe controllerProbe = Probe.bind(host, controller, fallback, "controller")) {
            return new Choice(brokerProbe.port(), controllerProbe.port(),
                    brokerProbe.fellBack() || controllerProbe.fellBack());
        }
    }

    /** A bound probe socket. */
    private record Probe(ServerSocket socket, boolean fellBack) implements AutoCloseable {

        static Probe bind(String host, int port, boolean fallback, String role) {
            try {
                return new Probe(open(host, port), false);
            } catch (BindException taken) {
                if (!fallback || port == 0) {
                    throw new IllegalStateException(
                            "Kafka " + role + " port " + host + ":" + port + " is taken: " + taken.getMessage(), taken);
                }
                try {
                    return new Probe(open(host, 0), true);
                } catch (IOException e) {
                    throw new UncheckedIOException("No free " + role + " port on " + host, e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot bind " + role + " port " + host + ":" + port, e);
            }
        }

        private static ServerSocket open(String host, int port) throws IOException {
            ServerSocket socket = new ServerSocket();
            try {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(host, port));
                return socket;
            } catch (IOException e) {
                socket.close();
                throw e;
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
