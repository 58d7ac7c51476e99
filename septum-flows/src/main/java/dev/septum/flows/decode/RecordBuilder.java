package dev.septum.flows.decode;

import dev.septum.flows.FlowFields;
import dev.septum.flows.FlowRecord;
import dev.septum.flows.IpAddr;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Mutable scratch for one data record, reused across records. After {@link #resolve} it is also the
 * {@link FlowFields} handed to the sink, so the hot path allocates nothing per record.
 */
final class RecordBuilder implements FlowFields {
    private static final long NTP_TO_UNIX_SECONDS = 2_208_988_800L;

    long src4;
    long dst4;
    long src6hi;
    long src6lo;
    long dst6hi;
    long dst6lo;
    boolean v6;
    int srcPort;
    int dstPort;
    int proto;
    int tcpFlags;
    int revTcpFlags;
    long octets;
    long packets;
    long revOctets;
    long revPackets;
    long startMs;
    long endMs;
    long startUptime;
    long endUptime;
    boolean hasStartUptime;
    boolean hasEndUptime;
    int endReason;
    int vrf;
    int biflowDirection;
    int icmpTypeCode;
    boolean hasIcmp;
    long systemInitMs;

    void reset() {
        src4 = dst4 = src6hi = src6lo = dst6hi = dst6lo = 0;
        v6 = false;
        srcPort = dstPort = proto = tcpFlags = revTcpFlags = 0;
        octets = packets = revOctets = revPackets = 0;
        startMs = endMs = startUptime = endUptime = 0;
        hasStartUptime = hasEndUptime = hasIcmp = false;
        endReason = vrf = icmpTypeCode = 0;
        biflowDirection = -1;
        systemInitMs = -1;
    }

    static long unsigned(ByteBuffer buf, int p, int len) {
        return switch (len) {
            case 1 -> buf.get(p) & 0xFFL;
            case 2 -> buf.getShort(p) & 0xFFFFL;
            case 4 -> buf.getInt(p) & 0xFFFF_FFFFL;
            case 8 -> buf.getLong(p);
            default -> {
                long v = 0;
                for (int i = 0; i < Math.min(len, 8); i++) {
                    v = (v << 8) | (buf.get(p + len - Math.min(len, 8) + i) & 0xFF);
                }
                yield v;
            }
        };
    }

    void set(int slot, ByteBuffer buf, int p, int len) {
        switch (slot) {
            case RecordLayout.SRC4 -> src4 = unsigned(buf, p, len);
            case RecordLayout.DST4 -> dst4 = unsigned(buf, p, len);
            case RecordLayout.SRC6 -> {
                v6 = true;
                src6hi = buf.getLong(p);
                src6lo = buf.getLong(p + 8);
            }
            case RecordLayout.DST6 -> {
                v6 = true;
                dst6hi = buf.getLong(p);
                dst6lo = buf.getLong(p + 8);
            }
            case RecordLayout.SRC_PORT -> srcPort = (int) unsigned(buf, p, len) & 0xFFFF;
            case RecordLayout.DST_PORT -> dstPort = (int) unsigned(buf, p, len) & 0xFFFF;
            case RecordLayout.PROTO -> proto = (int) unsigned(buf, p, len) & 0xFF;
            case RecordLayout.TCP_FLAGS -> tcpFlags = (int) unsigned(buf, p, len) & 0xFF;
            case RecordLayout.REV_TCP_FLAGS -> revTcpFlags = (int) unsigned(buf, p, len) & 0xFF;
            case RecordLayout.OCTETS -> octets = unsigned(buf, p, len);
            case RecordLayout.PACKETS -> packets = unsigned(buf, p, len);
            case RecordLayout.REV_OCTETS -> revOctets = unsigned(buf, p, len);
            case RecordLayout.REV_PACKETS -> revPackets = unsigned(buf, p, len);
            case RecordLayout.START_S -> startMs = unsigned(buf, p, len) * 1000;
            case RecordLayout.END_S -> endMs = unsigned(buf, p, len) * 1000;
            case RecordLayout.START_MS -> startMs = unsigned(buf, p, len);
            case RecordLayout.END_MS -> endMs = unsigned(buf, p, len);
            case RecordLayout.START_NTP -> startMs = len == 8 ? ntpMillis(buf.getLong(p)) : 0;
            case RecordLayout.END_NTP -> endMs = len == 8 ? ntpMillis(buf.getLong(p)) : 0;
            case RecordLayout.START_UPTIME -> {
                startUptime = unsigned(buf, p, len);
                hasStartUptime = true;
            }
            case RecordLayout.END_UPTIME -> {
                endUptime = unsigned(buf, p, len);
                hasEndUptime = true;
            }
            case RecordLayout.END_REASON -> endReason = (int) unsigned(buf, p, len) & 0xFF;
            case RecordLayout.VRF -> vrf = (int) unsigned(buf, p, len);
            case RecordLayout.BIFLOW_DIRECTION -> biflowDirection = (int) unsigned(buf, p, len) & 0xFF;
            case RecordLayout.ICMP_TYPE_CODE -> {
                icmpTypeCode = (int) unsigned(buf, p, len) & 0xFFFF;
                hasIcmp = true;
            }
            case RecordLayout.SYSTEM_INIT_MS -> systemInitMs = unsigned(buf, p, len);
            default -> {
            }
        }
    }

    /** dateTimeMicroseconds/Nanoseconds use the NTP format: seconds since 1900, then a 2^-32 fraction. */
    private static long ntpMillis(long ntp) {
        long seconds = ntp >>> 32;
        long fraction = ntp & 0xFFFF_FFFFL;
        return (seconds - NTP_TO_UNIX_SECONDS) * 1000 + ((fraction * 1000) >>> 32);
    }

    // Resolved by resolve(): what the FlowFields accessors return.
    private InetSocketAddress exporter;
    private long domain;
    private boolean biflow;
    private long resolvedStart;
    private long resolvedEnd;
    private int resolvedSrcPort;
    private int resolvedDstPort;

    /**
     * Fixes times and ports after the fields are read.
     *
     * @param uptimeBaseMs epoch ms at which the exporter's uptime clock read 0 (v9: unixSecs - sysUpTime,
     *                     IPFIX: systemInitTimeMilliseconds), or -1 when unknown
     */
    RecordBuilder resolve(InetSocketAddress exporter, long domain, boolean biflow, long uptimeBaseMs, long arrivalMs) {
        this.exporter = exporter;
        this.domain = domain;
        this.biflow = biflow;
        long start = startMs;
        long end = endMs;
        if (start == 0 && hasStartUptime && uptimeBaseMs >= 0) {
            start = uptimeBaseMs + startUptime;
        }
        if (end == 0 && hasEndUptime && uptimeBaseMs >= 0) {
            end = uptimeBaseMs + endUptime;
        }
        if (end <= 0) {
            end = start > 0 ? start : arrivalMs;
        }
        if (start <= 0 || start > end) {
            start = end;
        }
        resolvedStart = start;
        resolvedEnd = end;
        resolvedSrcPort = srcPort;
        resolvedDstPort = dstPort;
        if (proto == FlowRecord.ICMP || proto == FlowRecord.ICMPV6) {
            resolvedSrcPort = 0;
            resolvedDstPort = hasIcmp ? icmpTypeCode : dstPort;
        }
        return this;
    }

    @Override
    public long srcHi() {
        return v6 ? src6hi : 0;
    }

    @Override
    public long srcLo() {
        return v6 ? src6lo : src4 & 0xFFFF_FFFFL;
    }

    @Override
    public long dstHi() {
        return v6 ? dst6hi : 0;
    }

    @Override
    public long dstLo() {
        return v6 ? dst6lo : dst4 & 0xFFFF_FFFFL;
    }

    @Override
    public boolean v6() {
        return v6;
    }

    @Override
    public int vrf() {
        return vrf;
    }

    @Override
    public int srcPort() {
        return resolvedSrcPort;
    }

    @Override
    public int dstPort() {
        return resolvedDstPort;
    }

    @Override
    public int protocol() {
        return proto;
    }

    @Override
    public int tcpFlags() {
        return tcpFlags;
    }

    @Override
    public long octets() {
        return octets;
    }

    @Override
    public long packets() {
        return packets;
    }

    @Override
    public int reverseTcpFlags() {
        return revTcpFlags;
    }

    @Override
    public long reverseOctets() {
        return revOctets;
    }

    @Override
    public long reversePackets() {
        return revPackets;
    }

    @Override
    public boolean biflow() {
        return biflow;
    }

    @Override
    public long startMillis() {
        return resolvedStart;
    }

    @Override
    public long endMillis() {
        return resolvedEnd;
    }

    @Override
    public int endReason() {
        return endReason;
    }

    @Override
    public int biflowDirection() {
        return biflowDirection;
    }

    @Override
    public FlowRecord toRecord() {
        return new FlowRecord(exporter, domain, vrf, v6 ? IpAddr.v6(src6hi, src6lo) : IpAddr.v4(src4),
                v6 ? IpAddr.v6(dst6hi, dst6lo) : IpAddr.v4(dst4), resolvedSrcPort, resolvedDstPort, proto, tcpFlags,
                octets, packets, revTcpFlags, revOctets, revPackets, biflow, resolvedStart, resolvedEnd, endReason,
                biflowDirection);
    }
}
