package dev.septum.lab;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The hosts' services: for every host and service a socket bound inside the host's namespace.
 * TCP services accept and greet, HTTP services answer a GET with a page naming the host, UDP
 * services echo each datagram (a DNS- or NTP-like request and response). Serving threads are
 * virtual; only socket creation needs to sit in the namespace.
 */
final class Listeners implements Closeable {
    private final List<Closeable> sockets = new ArrayList<>();

    void start(String namespace, LabSpec.Host host) {
        for (ProbeKind service : host.services()) {
            Closeable socket = NetnsThreads.callIn(namespace, () -> open(service));
            sockets.add(socket);
            switch (service) {
                case ProbeKind.TcpConnect t -> serveTcp((ServerSocket) socket, "SSH-2.0-septum-lab-" + host.name() + "\r\n", false);
                case ProbeKind.Http h -> serveTcp((ServerSocket) socket, "SUCCESS: " + host.name() + "\n", true);
                case ProbeKind.UdpExchange u -> serveUdp((DatagramSocket) socket);
                case ProbeKind.Ping p -> { }
            }
        }
    }

    private static Closeable open(ProbeKind service) throws IOException {
        return switch (service) {
            case ProbeKind.UdpExchange u -> new DatagramSocket(new InetSocketAddress(u.port()));
            case ProbeKind.Ping p -> () -> { };
            default -> {
                ServerSocket server = new ServerSocket();
                server.setReuseAddress(true);
                server.bind(new InetSocketAddress(service.port()), 64);
                yield server;
            }
        };
    }

    private static void serveTcp(ServerSocket server, String greeting, boolean http) {
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Thread.ofVirtual().start(() -> answer(client, greeting, http));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    private static void answer(Socket client, String greeting, boolean http) {
        try (client) {
            client.setSoTimeout(3000);
            OutputStream out = client.getOutputStream();
            if (http) {
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    // read the request head; its content does not matter
                }
                byte[] body = greeting.getBytes(StandardCharsets.US_ASCII);
                out.write(("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
            } else {
                out.write(greeting.getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        } catch (IOException ignored) {
            // a probe that gives up early is not the listener's problem
        }
    }

    private static void serveUdp(DatagramSocket socket) {
        Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[1500];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket request = new DatagramPacket(buffer, buffer.length);
                    socket.receive(request);
                    socket.send(new DatagramPacket(request.getData(), request.getLength(), request.getSocketAddress()));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    @Override
    public void close() {
        for (Closeable socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing on teardown; the namespace goes away next anyway
            }
        }
        sockets.clear();
    }
}
