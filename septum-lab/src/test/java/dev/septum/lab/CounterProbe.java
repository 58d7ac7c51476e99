package dev.septum.lab;

import dev.septum.deploy.nftables.CounterReading;
import dev.septum.deploy.nftables.NftablesDriver;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Which of Septum's per-match counters a packet moved: the tests that send one packet at a time
 * through a real table read the deciding match this way. A counter the test adds after the policy
 * ({@code fallthrough}) stands for "no match".
 */
record CounterProbe(NftablesDriver driver, String family, String fallthrough) {
    /** Packets per match (and per the fall-through counter), by match name. */
    Map<String, Long> snapshot() {
        Map<String, Long> packets = new HashMap<>();
        for (CounterReading c : driver.counters(family)) {
            packets.put(c.name().equals(fallthrough) ? fallthrough : c.match(), c.packets());
        }
        return packets;
    }

    /** The counters once one moved after {@code flow} was sent (at most 2 s), then closes the flow. */
    Map<String, Long> awaitMove(Map<String, Long> before, Closeable flow) throws IOException, InterruptedException {
        try (flow) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < deadline) {
                Map<String, Long> now = snapshot();
                if (!now.equals(before)) {
                    return now;
                }
                Thread.sleep(5);
            }
            return before;
        }
    }

    /** The one counter that moved, or what went wrong. */
    static String moved(Map<String, Long> before, Map<String, Long> after) {
        List<String> moved = after.entrySet().stream().filter(e -> !e.getValue().equals(before.get(e.getKey())))
                .map(Map.Entry::getKey).toList();
        return moved.size() == 1 ? moved.getFirst() : moved.isEmpty() ? "(none: the packet never reached the table)" : moved.toString();
    }

    /**
     * Sends a UDP datagram or a TCP SYN from the calling thread's namespace (no process per
     * packet); closing the socket stops a SYN from being sent again.
     */
    static Closeable open(int protocol, String from, int sport, String to, int dport) throws IOException {
        InetSocketAddress local = new InetSocketAddress(InetAddress.getByName(from), sport);
        InetSocketAddress remote = new InetSocketAddress(InetAddress.getByName(to), dport);
        if (protocol == 17) {
            DatagramChannel udp = DatagramChannel.open().setOption(StandardSocketOptions.SO_REUSEADDR, true).bind(local);
            udp.send(ByteBuffer.wrap("x".getBytes()), remote);
            return udp;
        }
        SocketChannel tcp = SocketChannel.open().setOption(StandardSocketOptions.SO_REUSEADDR, true);
        tcp.configureBlocking(false);
        tcp.bind(local);
        tcp.connect(remote);
        return tcp;
    }
}
