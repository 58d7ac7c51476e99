package dev.septum.flows;

import java.net.InetSocketAddress;

/**
 * One decoded flow record, normalised across IPFIX and NetFlow v9. Counters in the forward sense
 * (source to destination); RFC 5103 biflows add the reverse counters, uniflows leave them zero.
 *
 * @param exporter         the UDP peer the record came from
 * @param domain           IPFIX observation domain or NetFlow v9 source id
 * @param vrf              ingressVRFID (234), 0 when absent
 * @param protocol         IANA protocol number
 * @param srcPort          for ICMP 0
 * @param dstPort          for ICMP type * 256 + code (as nfdump shows it)
 * @param biflow           the template carried RFC 5103 reverse counters
 * @param startMillis      epoch ms; the arrival time when the exporter sent no usable time
 * @param endReason        flowEndReason (136), 0 when absent
 * @param biflowDirection  biflowDirection (239), -1 when absent
 */
public record FlowRecord(
        InetSocketAddress exporter, long domain, int vrf,
        IpAddr src, IpAddr dst, int srcPort, int dstPort, int protocol,
        int tcpFlags, long octets, long packets,
        int reverseTcpFlags, long reverseOctets, long reversePackets, boolean biflow,
        long startMillis, long endMillis, int endReason, int biflowDirection) implements FlowFields {

    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ICMP = 1;
    public static final int ICMPV6 = 58;

    @Override
    public long srcHi() {
        return src.hi();
    }

    @Override
    public long srcLo() {
        return src.lo();
    }

    @Override
    public long dstHi() {
        return dst.hi();
    }

    @Override
    public long dstLo() {
        return dst.lo();
    }

    @Override
    public boolean v6() {
        return src.v6();
    }

    @Override
    public FlowRecord toRecord() {
        return this;
    }
}
