package dev.septum.server.monitor;

import dev.septum.flows.session.SessionTimeouts;
import java.net.Inet4Address;
import java.net.InetSocketAddress;

/**
 * The server's embedded collector ({@code septum serve --collect ADDR:PORT}, or {@code
 * --collect-mirror ADDR} for GRE-mirrored packets).
 *
 * @param listen             UDP address for IPFIX / NetFlow v9; port 0 picks a free one (tests); with
 *                           {@code greMirror} the tunnel destination (the port is not used)
 * @param receiveBufferBytes SO_RCVBUF to request (the kernel caps it at net.core.rmem_max)
 * @param flushMs            how often sessions are written to the flow store
 * @param retentionMs        stored sessions written longer ago are deleted; 0 keeps all
 * @param timeouts           when the session table ends a session (EOS's flow tracker defaults)
 * @param greMirror          receive GRE-mirrored packets on a raw socket (root) instead of flow records
 */
public record CollectorSettings(InetSocketAddress listen, int receiveBufferBytes, long flushMs, long retentionMs,
                                SessionTimeouts timeouts, boolean greMirror) {
    public static final long DEFAULT_FLUSH_MS = 2_000;
    public static final long DEFAULT_RETENTION_MS = java.util.concurrent.TimeUnit.DAYS.toMillis(7);

    public static CollectorSettings on(InetSocketAddress listen) {
        return new CollectorSettings(listen, 16 << 20, DEFAULT_FLUSH_MS, DEFAULT_RETENTION_MS, SessionTimeouts.EOS_DEFAULTS, false);
    }

    /** The mirror intake: GRE sent to {@code tunnelDestination}, one of this host's addresses, as {@code collect --mirror}. */
    public static CollectorSettings mirrorTo(Inet4Address tunnelDestination) {
        return new CollectorSettings(new InetSocketAddress(tunnelDestination, 0), 16 << 20, DEFAULT_FLUSH_MS, DEFAULT_RETENTION_MS,
                SessionTimeouts.EOS_DEFAULTS, true);
    }

    public CollectorSettings withFlushMs(long ms) {
        return new CollectorSettings(listen, receiveBufferBytes, ms, retentionMs, timeouts, greMirror);
    }

    public CollectorSettings withTimeouts(SessionTimeouts t) {
        return new CollectorSettings(listen, receiveBufferBytes, flushMs, retentionMs, t, greMirror);
    }
}
