package dev.septum.flows.decode;

import dev.septum.flows.FlowFields;
import dev.septum.flows.FlowRecord;
import dev.septum.flows.IpAddr;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Mutable scratch for one data record, reused across records. After {@link #resolve} it is also the
 * {@link FlowFields} handed to the sink, so the hot path allocates nothing per record.
 *
 * <p>Most fields are kept as one unsigned value per {@link RecordLayout} slot code in an array, so
 * reading a field is "read so many bytes, store at the slot": no per-field switch over 20-odd cases
 * (that switch was too big for the JIT to inline, and the call per field cost about 13 % of the
 * collector's CPU). Masks and unit conversions happen once per record, in {@link #resolve} and the
 * accessors.
 */
final class RecordBuilder implements FlowFields {
    private static final long NTP_TO_UNIX_SECONDS = 2_208_988_800L;

    /** The slot codes kept in {@link #values}, one bit each. */
    static final long VALUE_SLOTS = (1L << RecordLayout.FIRST_RAW) - 1;
    private final long[] values = new long[RecordLayout.FIRST_RAW];
    /** Bit {@code 1 << slot} set when the record carried that slot: tells "absent" from 0. */
    private long present;
    private long src6hi;
    private long src6lo;
    private long dst6hi;
    private long dst6lo;
    private boolean v6;
    private long startNtpMs;
    private long endNtpMs;

    /**
     * Readies the builder for a record of a layout that fills the value slots {@code fills} (a bit per
     * slot code). Those the record will overwrite; only slots the previous record filled and this one
     * will not are cleared, which for a stream of one template is none.
     */
    void reset(long fills) {
        long stale = present & ~fills & VALUE_SLOTS;
        while (stale != 0) {
            values[Long.numberOfTrailingZeros(stale)] = 0;
            stale &= stale - 1;
        }
        present = 0;
        v6 = false;
    }

    /** A field read as an unsigned number (slot below {@link RecordLayout#FIRST_RAW}). */
    void store(int slot, long value) {
        values[slot] = value;
        present |= 1L << slot;
    }

    /** A field that needs its bytes, not one number: IPv6 addresses and NTP timestamps. */
    void readRaw(int slot, ByteBuffer buf, int p, int len) {
        switch (slot) {
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
            case RecordLayout.START_NTP -> startNtpMs = len == 8 ? ntpMillis(buf.getLong(p)) : 0;
            case RecordLayout.END_NTP -> endNtpMs = len == 8 ? ntpMillis(buf.getLong(p)) : 0;
            default -> {
                return;
            }
        }
        present |= 1L << slot;
    }

    private boolean has(int slot) {
        return (present & (1L << slot)) != 0;
    }

    /** An unsigned big-endian value of {@code len} bytes; the last 8 when longer. Small enough to inline. */
    static long unsigned(ByteBuffer buf, int p, int len) {
        return switch (len) {
            case 1 -> buf.get(p) & 0xFFL;
            case 2 -> buf.getShort(p) & 0xFFFFL;
            case 4 -> buf.getInt(p) & 0xFFFF_FFFFL;
            case 8 -> buf.getLong(p);
            default -> unsignedOddLength(buf, p, len);
        };
    }

    private static long unsignedOddLength(ByteBuffer buf, int p, int len) {
        long v = 0;
        for (int i = 0; i < Math.min(len, 8); i++) {
            v = (v << 8) | (buf.get(p + len - Math.min(len, 8) + i) & 0xFF);
        }
        return v;
    }

    /** systemInitTimeMilliseconds of an options record, or -1 when it carried none. */
    long systemInitMs() {
        return has(RecordLayout.SYSTEM_INIT_MS) ? values[RecordLayout.SYSTEM_INIT_MS] : -1;
    }

    /**
     * Start or end time in epoch ms from whichever absolute field the record carried (0 when none).
     * A template with several takes the finest: NTP, then milliseconds, then seconds.
     */
    private long absoluteMs(int ntpSlot, long ntpMs, int msSlot, int secondsSlot) {
        if (has(ntpSlot)) {
            return ntpMs;
        }
        return has(msSlot) ? values[msSlot] : values[secondsSlot] * 1000;
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
    private int proto;

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
        long start = absoluteMs(RecordLayout.START_NTP, startNtpMs, RecordLayout.START_MS, RecordLayout.START_S);
        long end = absoluteMs(RecordLayout.END_NTP, endNtpMs, RecordLayout.END_MS, RecordLayout.END_S);
        if (start == 0 && has(RecordLayout.START_UPTIME) && uptimeBaseMs >= 0) {
            start = uptimeBaseMs + values[RecordLayout.START_UPTIME];
        }
        if (end == 0 && has(RecordLayout.END_UPTIME) && uptimeBaseMs >= 0) {
            end = uptimeBaseMs + values[RecordLayout.END_UPTIME];
        }
        if (end <= 0) {
            end = start > 0 ? start : arrivalMs;
        }
        if (start <= 0 || start > end) {
            start = end;
        }
        resolvedStart = start;
        resolvedEnd = end;
        proto = (int) values[RecordLayout.PROTO] & 0xFF;
        int srcPort = (int) values[RecordLayout.SRC_PORT] & 0xFFFF;
        int dstPort = (int) values[RecordLayout.DST_PORT] & 0xFFFF;
        resolvedSrcPort = srcPort;
        resolvedDstPort = dstPort;
        if (proto == FlowRecord.ICMP || proto == FlowRecord.ICMPV6) {
            resolvedSrcPort = 0;
            resolvedDstPort = has(RecordLayout.ICMP_TYPE_CODE)
                    ? (int) values[RecordLayout.ICMP_TYPE_CODE] & 0xFFFF : dstPort;
        }
        return this;
    }

    @Override
    public long srcHi() {
        return v6 ? src6hi : 0;
    }

    @Override
    public long srcLo() {
        return v6 ? src6lo : values[RecordLayout.SRC4] & 0xFFFF_FFFFL;
    }

    @Override
    public long dstHi() {
        return v6 ? dst6hi : 0;
    }

    @Override
    public long dstLo() {
        return v6 ? dst6lo : values[RecordLayout.DST4] & 0xFFFF_FFFFL;
    }

    @Override
    public boolean v6() {
        return v6;
    }

    @Override
    public int vrf() {
        return (int) values[RecordLayout.VRF];
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
        return (int) values[RecordLayout.TCP_FLAGS] & 0xFF;
    }

    @Override
    public long octets() {
        return values[RecordLayout.OCTETS];
    }

    @Override
    public long packets() {
        return values[RecordLayout.PACKETS];
    }

    @Override
    public int reverseTcpFlags() {
        return (int) values[RecordLayout.REV_TCP_FLAGS] & 0xFF;
    }

    @Override
    public long reverseOctets() {
        return values[RecordLayout.REV_OCTETS];
    }

    @Override
    public long reversePackets() {
        return values[RecordLayout.REV_PACKETS];
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
        return (int) values[RecordLayout.END_REASON] & 0xFF;
    }

    @Override
    public int biflowDirection() {
        return has(RecordLayout.BIFLOW_DIRECTION) ? (int) values[RecordLayout.BIFLOW_DIRECTION] & 0xFF : -1;
    }

    @Override
    public FlowRecord toRecord() {
        return new FlowRecord(exporter, domain, vrf(), v6 ? IpAddr.v6(src6hi, src6lo) : IpAddr.v4(values[RecordLayout.SRC4]),
                v6 ? IpAddr.v6(dst6hi, dst6lo) : IpAddr.v4(values[RecordLayout.DST4]), resolvedSrcPort, resolvedDstPort,
                proto, tcpFlags(), octets(), packets(), reverseTcpFlags(), reverseOctets(), reversePackets(), biflow,
                resolvedStart, resolvedEnd, endReason(), biflowDirection());
    }
}
