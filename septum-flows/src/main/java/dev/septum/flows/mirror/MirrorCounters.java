package dev.septum.flows.mirror;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the mirror intake saw, one counter per reason a packet was not metered. One thread writes (the
 * receive loop, once per packet, so with opaque stores rather than atomic adds), any thread reads.
 */
public final class MirrorCounters {
    final AtomicLong grePackets = new AtomicLong();
    final AtomicLong metered = new AtomicLong();
    final AtomicLong malformedOuter = new AtomicLong();
    final AtomicLong greVersion = new AtomicLong();
    final AtomicLong greRouting = new AtomicLong();
    final AtomicLong greOtherProtocol = new AtomicLong();
    final AtomicLong nonIpFrames = new AtomicLong();
    final AtomicLong truncatedFrames = new AtomicLong();
    final AtomicLong malformedIp = new AtomicLong();
    final AtomicLong nonFirstFragments = new AtomicLong();

    static void bump(AtomicLong counter) {
        counter.setOpaque(counter.getPlain() + 1);
    }

    /** GRE packets received (every datagram of the raw socket). */
    public long grePackets() { return grePackets.get(); }
    /** Inner packets metered into the session table. */
    public long metered() { return metered.get(); }
    /** Outer IPv4 or GRE header shorter than it says, or not IPv4. */
    public long malformedOuter() { return malformedOuter.get(); }
    /** GRE version other than 0 (version 1 is PPTP's enhanced GRE). */
    public long greVersion() { return greVersion.get(); }
    /** RFC 1701 routing present: not part of RFC 2784/2890 GRE, so its length cannot be trusted. */
    public long greRouting() { return greRouting.get(); }
    /** GRE carrying neither transparent Ethernet (0x6558) nor bare IPv4/IPv6 (e.g. ERSPAN 0x88BE). */
    public long greOtherProtocol() { return greOtherProtocol.get(); }
    /** Ethernet frames that carry neither IPv4 nor IPv6 (ARP, LLDP, MPLS, more than three VLAN tags). */
    public long nonIpFrames() { return nonIpFrames.get(); }
    /** Frames cut before the headers metering needs (addresses, ports, TCP flags). */
    public long truncatedFrames() { return truncatedFrames.get(); }
    /** Inner IP headers with a wrong version or impossible lengths. */
    public long malformedIp() { return malformedIp.get(); }
    /** Fragments after the first, outer (GRE) or inner: they carry no headers to meter, so they are counted. */
    public long nonFirstFragments() { return nonFirstFragments.get(); }

    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("gre_packets", grePackets());
        m.put("mirrored_packets_metered", metered());
        m.put("malformed_outer", malformedOuter());
        m.put("gre_unsupported_version", greVersion());
        m.put("gre_routing_present", greRouting());
        m.put("gre_other_protocol", greOtherProtocol());
        m.put("non_ip_frames", nonIpFrames());
        m.put("truncated_frames", truncatedFrames());
        m.put("malformed_ip", malformedIp());
        m.put("non_first_fragments", nonFirstFragments());
        return m;
    }
}
