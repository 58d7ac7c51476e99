package dev.septum.lab;

import java.util.Optional;

/**
 * What a probe sends and what a host listens for. The same words name both, so a host that
 * lists {@code http} answers the probe {@code http}: {@code ssh} (tcp/22), {@code http}
 * (tcp/80), {@code http/N}, {@code tcp/N}, {@code dns} (udp/53), {@code ntp} (udp/123),
 * {@code udp/N}, {@code ping}.
 */
public sealed interface ProbeKind {
    String label();

    /** A TCP handshake, as {@code ssh} to the seed's servers showed it (nc -z). */
    record TcpConnect(String label, int port) implements ProbeKind {
    }

    /** An HTTP GET whose answer must carry the page (curl). */
    record Http(String label, int port) implements ProbeKind {
    }

    /** One datagram out and its echo back, as a DNS or NTP query and answer (nc -u). */
    record UdpExchange(String label, int port) implements ProbeKind {
    }

    /** ICMP echo (ping); every host answers. */
    record Ping() implements ProbeKind {
        public String label() {
            return "ping";
        }
    }

    static Optional<ProbeKind> parse(String text) {
        return switch (text) {
            case "ssh" -> Optional.of(new TcpConnect(text, 22));
            case "http" -> Optional.of(new Http(text, 80));
            case "dns" -> Optional.of(new UdpExchange(text, 53));
            case "ntp" -> Optional.of(new UdpExchange(text, 123));
            case "ping" -> Optional.of(new Ping());
            default -> withPort(text);
        };
    }

    private static Optional<ProbeKind> withPort(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (port < 1 || port > 65535) {
            return Optional.empty();
        }
        return switch (text.substring(0, slash)) {
            case "tcp" -> Optional.of(new TcpConnect(text, port));
            case "http" -> Optional.of(new Http(text, port));
            case "udp" -> Optional.of(new UdpExchange(text, port));
            default -> Optional.empty();
        };
    }

    default int port() {
        return switch (this) {
            case TcpConnect t -> t.port();
            case Http h -> h.port();
            case UdpExchange u -> u.port();
            case Ping p -> 0;
        };
    }
}
