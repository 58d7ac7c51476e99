package dev.septum.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * An inventory on loopback for {@code http-json} sources: the JDK's HTTP server answering a JSON
 * list of {@code {"address": ...}} items the test sets. {@link #stop()} makes it stop answering
 * (connections are refused); {@link #start()} answers again on the same port.
 */
final class MemberServer implements AutoCloseable {
    private volatile String body;
    private final int port;
    private HttpServer server;

    MemberServer(String... addresses) {
        answer(addresses);
        this.server = listen(0);
        this.port = server.getAddress().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port + "/members";
    }

    void answer(String... addresses) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < addresses.length; i++) {
            json.append(i == 0 ? "" : ", ").append("{\"address\": \"").append(addresses[i]).append("\"}");
        }
        body = json.append("]").toString();
    }

    void stop() {
        server.stop(0);
    }

    void start() {
        server = listen(port);
    }

    private HttpServer listen(int on) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), on), 8);
            s.createContext("/members", exchange -> {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, bytes.length);
                try (var out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
