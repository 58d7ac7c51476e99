package dev.septum.flows.mirror;

import dev.septum.flows.FlowFields;
import dev.septum.flows.FlowRecord;
import dev.septum.flows.IpAddr;
import java.net.InetSocketAddress;

/**
 * One mirrored packet as a one-packet flow record, filled in place for each packet (valid only during
 * {@code FlowSink.accept}): the session table sums packets and bytes, ORs TCP flags and runs the idle
 * and active timeouts, as it does for exporters' records. No VRF travels in a mirror, so it is 0.
 */
final class MeteredPacket implements FlowFields {
    InetSocketAddress sender;
    long srcHi;
    long srcLo;
    long dstHi;
    long dstLo;
    boolean v6;
    int protocol;
    int srcPort;
    int dstPort;
    int tcpFlags;
    long octets;
    long atMillis;

    @Override public long srcHi() { return srcHi; }
    @Override public long srcLo() { return srcLo; }
    @Override public long dstHi() { return dstHi; }
    @Override public long dstLo() { return dstLo; }
    @Override public boolean v6() { return v6; }
    @Override public int vrf() { return 0; }
    @Override public int srcPort() { return srcPort; }
    @Override public int dstPort() { return dstPort; }
    @Override public int protocol() { return protocol; }
    @Override public int tcpFlags() { return tcpFlags; }
    @Override public long octets() { return octets; }
    @Override public long packets() { return 1; }
    @Override public int reverseTcpFlags() { return 0; }
    @Override public long reverseOctets() { return 0; }
    @Override public long reversePackets() { return 0; }
    @Override public boolean biflow() { return false; }
    @Override public long startMillis() { return atMillis; }
    @Override public long endMillis() { return atMillis; }
    @Override public int endReason() { return 0; }
    /**
     * A SYN without ACK comes from the initiator, a SYN with ACK from the responder: a packet says
     * what a flow record's ORed flags cannot, when both arrive within one millisecond.
     */
    @Override
    public int biflowDirection() {
        if (protocol != FlowRecord.TCP || (tcpFlags & SYN) == 0) {
            return -1;
        }
        return (tcpFlags & ACK) == 0 ? 1 : 2;
    }

    private static final int SYN = 0x02;
    private static final int ACK = 0x10;

    @Override
    public FlowRecord toRecord() {
        return new FlowRecord(sender, 0, 0, v6 ? IpAddr.v6(srcHi, srcLo) : IpAddr.v4(srcLo),
                v6 ? IpAddr.v6(dstHi, dstLo) : IpAddr.v4(dstLo), srcPort, dstPort, protocol, tcpFlags, octets, 1,
                0, 0, 0, false, atMillis, atMillis, 0, biflowDirection());
    }
}
