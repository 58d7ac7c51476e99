package dev.septum.flows.collect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Datagrams the kernel dropped because our socket's receive buffer was full: the {@code drops} column
 * of /proc/net/udp and /proc/net/udp6 for sockets on our local port. Per socket, unlike the global
 * Udp RcvbufErrors counter, so other programs' losses do not show up as ours.
 */
public final class KernelDrops {
    private KernelDrops() {
    }

    /** @return dropped datagrams, or -1 where /proc is not readable (not Linux) */
    public static long forLocalPort(int port) {
        return sum(port, "/proc/net/udp", "/proc/net/udp6");
    }

    /** The same for raw IPv4 sockets of one protocol: /proc/net/raw shows the protocol as the local port. */
    public static long forRawProtocol(int protocol) {
        return sum(protocol, "/proc/net/raw");
    }

    private static long sum(int port, String... files) {
        long total = -1;
        for (String file : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(file));
            } catch (IOException | SecurityException e) {
                continue;
            }
            total = Math.max(total, 0);
            String suffix = String.format(":%04X", port);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 13 && f[1].endsWith(suffix)) {
                    try {
                        total += Long.parseLong(f[12]);
                    } catch (NumberFormatException e) {
                        // a kernel with a different layout: report what parsed
                    }
                }
            }
        }
        return total;
    }
}
