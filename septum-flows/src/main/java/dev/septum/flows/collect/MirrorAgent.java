package dev.septum.flows.collect;

import dev.septum.flows.mirror.NflogMessages;
import dev.septum.flows.mirror.PacketRateLimit;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Mirrors a Linux enforcement point's monitored rules the way a switch's monitor session does: the
 * nftables rule logs to an NFLOG group ({@code log group N}, rendered by Septum), this agent reads the
 * group over netlink (recvmmsg through the foreign-function API, the collector's own socket code) and
 * sends each packet to the monitor node as GRE with transparent Ethernet bridging (0x6558; the
 * Ethernet header is fabricated: NFLOG hands over the packet from its IP header). A token bucket holds
 * it to the rate limit; packets over it are counted and not sent, as a switch's mirror drops copies
 * over its rate limit. Needs CAP_NET_ADMIN (NFLOG) and CAP_NET_RAW (the raw socket).
 */
public final class MirrorAgent implements AutoCloseable {
    /**
     * @param key          GRE key, or {@link dev.septum.flows.mirror.GreFrame#NO_KEY}
     * @param packetsPerSecond the rate limit; the bucket holds one second's worth
     * @param batch        packets the kernel holds before handing them over (NFLOG queue threshold);
     *                     fewer are handed over after its flush timeout, a second
     */
    public record Config(int group, Inet4Address monitor, long key, long packetsPerSecond, int batch) {
        /** Each packet handed over as it is logged: a sparse flow's copies go out at once, not up to a second late. */
        public static final int EACH_PACKET = 1;

        public Config {
            PacketRateLimit.requireValid(packetsPerSecond);
            if (batch < 1) {
                throw new IllegalArgumentException("the NFLOG batch is at least 1 packet, got " + batch);
            }
        }
    }

    private static final int NETLINK_NETFILTER = 12;
    private static final int BIND_SEQ = 1;
    private static final long ANSWER_WAIT_NS = 5_000_000_000L;

    private final Config config;
    private final RecvmmsgSocket nflog;
    private final GreSender sender;
    private final AtomicLong logged = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong notIp = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Consumer<Throwable> onFailure = e -> { };
    private final PacketRateLimit rateLimit;
    private int answer = Integer.MIN_VALUE;

    private MirrorAgent(Config config, RecvmmsgSocket nflog, GreSender sender) {
        this.config = config;
        this.nflog = nflog;
        this.sender = sender;
        this.rateLimit = new PacketRateLimit(config.packetsPerSecond(), System.nanoTime());
        thread = Thread.ofPlatform().name("septum-mirror-agent").daemon(true).unstarted(this::loop);
    }

    /** Binds the NFLOG group (failing if another reader holds it) and starts forwarding. */
    public static MirrorAgent start(Config config) throws IOException {
        RecvmmsgSocket nflog;
        try {
            nflog = RecvmmsgSocket.openNetlink(NETLINK_NETFILTER, 8 << 20, 65_536 + 4096, RecvmmsgSocket.BATCH);
        } catch (RuntimeException | LinkageError e) {
            throw new IOException("the mirror agent needs the foreign-function API on Linux: " + e, e);
        }
        GreSender sender;
        try {
            sender = new GreSender(config.monitor(), config.key());
        } catch (IOException | RuntimeException e) {
            nflog.close();
            throw e;
        }
        MirrorAgent agent = new MirrorAgent(config, nflog, sender);
        try {
            agent.bind();
        } catch (IOException | RuntimeException e) {
            agent.closeSockets();
            throw e;
        }
        agent.thread.start();
        return agent;
    }

    private void bind() throws IOException {
        nflog.sendToKernel(NflogMessages.bind(config.group(), BIND_SEQ, config.batch()));
        long deadline = System.nanoTime() + ANSWER_WAIT_NS;
        while (answer == Integer.MIN_VALUE && System.nanoTime() < deadline) {
            handle(nflog.receive());
        }
        if (answer == Integer.MIN_VALUE) {
            throw new IOException("the kernel did not answer the NFLOG bind of group " + config.group());
        }
        if (answer != 0) {
            throw new IOException("cannot bind NFLOG group " + config.group() + ": " + LinuxSocketCalls.strerror(-answer)
                    + (-answer == 16 ? " (another reader, e.g. ulogd or a second agent, holds the group)" : ""));
        }
    }

    public void onFailure(Consumer<Throwable> handler) {
        this.onFailure = handler;
    }

    private void loop() {
        try {
            while (running) {
                int n = nflog.receive();
                if (n > 0 && running) {
                    handle(n);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (running) {
                onFailure.accept(e);
            }
        }
    }

    private final NflogMessages.Visitor visitor = new NflogMessages.Visitor() {
        @Override
        public void packet(ByteBuffer ip) {
            logged.incrementAndGet();
            int version = ip.remaining() > 0 ? (ip.get(ip.position()) & 0xF0) >>> 4 : 0;
            if (version != 4 && version != 6) {
                notIp.incrementAndGet();
                return;
            }
            if (!rateLimit.take(System.nanoTime())) {
                rateLimited.incrementAndGet();
                return;
            }
            if (sender.send(ip) == 0) {
                sent.incrementAndGet();
            } else {
                sendErrors.incrementAndGet();
            }
        }

        @Override
        public void answer(int seq, int error) {
            if (seq == BIND_SEQ) {
                answer = error;
            }
        }

        @Override
        public void malformed() {
            malformed.incrementAndGet();
        }
    };

    private void handle(int n) {
        for (int i = 0; i < n; i++) {
            if (!nflog.truncated(i)) {
                NflogMessages.read(nflog.datagram(i), visitor);
            } else {
                malformed.incrementAndGet();
            }
        }
    }

    /** Packets logged, sent, held back by the rate limit, not IP, failed to send; netlink overruns. */
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("nflog_packets", logged.get());
        m.put("gre_sent", sent.get());
        m.put("rate_limited", rateLimited.get());
        m.put("not_ip", notIp.get());
        m.put("send_errors", sendErrors.get());
        m.put("malformed_nflog", malformed.get());
        m.put("nflog_overruns", nflog.overruns());
        return m;
    }

    /** Stops reading (within about a quarter second), releases the group and closes both sockets. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        nflog.stopReceiving();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            try {
                nflog.sendToKernel(NflogMessages.unbind(config.group(), BIND_SEQ + 1));
            } catch (IOException e) {
                // closing the socket releases the group too
            }
            closeSockets();
        }
    }

    private void closeSockets() {
        nflog.close();
        sender.close();
    }
}
