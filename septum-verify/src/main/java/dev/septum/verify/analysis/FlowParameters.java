package dev.septum.verify.analysis;

import dev.septum.model.IcmpTypes;
import dev.septum.model.Protocol;
import dev.septum.verify.Flow;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.LinkedHashMap;
import java.util.SequencedMap;
import java.util.TreeSet;

/** The packet {@code trace} follows, read from its parameters: addresses, protocol, ports, ICMP type and code. */
final class FlowParameters {
    static final String SRC = "src";
    static final String DST = "dst";
    static final String PROTO = "proto";
    static final String SPORT = "sport";
    static final String DPORT = "dport";
    static final String ICMP_TYPE = "icmp-type";
    static final String ICMP_CODE = "icmp-code";
    /** A typical ephemeral port: a client's source port when none is given. */
    static final int EPHEMERAL_PORT = 49152;

    private FlowParameters() {
    }

    /** The parameters and what each means, in the order they are documented. */
    static SequencedMap<String, String> described() {
        SequencedMap<String, String> p = new LinkedHashMap<>();
        p.put(SRC, "source address of the packet (required), e.g. 10.100.99.51");
        p.put(DST, "destination address (required), same family as the source");
        p.put(PROTO, "tcp, udp, icmp, icmpv6, another protocol name or a number 0-255 (required)");
        p.put(SPORT, "source port, tcp/udp/sctp only (default " + EPHEMERAL_PORT + ")");
        p.put(DPORT, "destination port, required for tcp/udp/sctp");
        p.put(ICMP_TYPE, "ICMP/ICMPv6 type, a name such as echo-request or a number (default echo-request)");
        p.put(ICMP_CODE, "ICMP/ICMPv6 code, a name such as port-unreachable or a number (default 0)");
        return p;
    }

    static Flow flow(Parameters p) {
        IPAddress src = address(p, SRC, "the packet's source address, e.g. 10.100.99.51");
        IPAddress dst = address(p, DST, "the packet's destination address, e.g. 10.100.99.52");
        if (src.isIPv4() != dst.isIPv4()) {
            throw new BadParameter(DST, "'" + p.get(DST).orElseThrow() + "' is " + family(dst) + " but the source address is "
                    + family(src), "give both addresses in one family");
        }
        String protoText = p.required(PROTO, "give the protocol: tcp, udp, icmp, icmpv6 or a number 0-255");
        Protocol proto = Protocol.parse(protoText).orElseThrow(() -> new BadParameter(PROTO, "'" + protoText
                + "' is not a protocol", "use " + String.join(", ", new TreeSet<>(Protocol.names())) + " or a number 0-255"));
        if (!proto.hasPorts()) {
            for (String port : new String[] {SPORT, DPORT}) {
                p.get(port).ifPresent(v -> {
                    throw new BadParameter(port, "means nothing for " + proto.keyword() + ": it has no ports",
                            "leave it out, or trace a tcp, udp or sctp packet");
                });
            }
        }
        if (!IcmpTypes.hasTypes(proto)) {
            for (String icmp : new String[] {ICMP_TYPE, ICMP_CODE}) {
                p.get(icmp).ifPresent(v -> {
                    throw new BadParameter(icmp, "is only for icmp and icmpv6 packets", "leave it out, or trace an icmp or icmpv6 packet");
                });
            }
        }
        if (proto.hasPorts()) {
            int sport = port(p, SPORT, EPHEMERAL_PORT);
            int dport = port(p, DPORT, -1);
            if (dport < 0) {
                throw new BadParameter(DPORT, "is needed for " + proto.keyword(), "give the destination port, e.g. 22");
            }
            return new Flow(src, dst, proto.number(), sport, dport);
        }
        if (!IcmpTypes.hasTypes(proto)) {
            return new Flow(src, dst, proto.number(), 0, 0);
        }
        String typeText = p.get(ICMP_TYPE).orElse("echo-request");
        int type = IcmpTypes.type(proto, typeText).orElseThrow(() -> new BadParameter(ICMP_TYPE, "'" + typeText
                + "' is not an " + proto.keyword() + " type", "use a number 0-255 or one of " + String.join(", ", IcmpTypes.typeNames(proto))));
        String codeText = p.get(ICMP_CODE).orElse("0");
        int code = IcmpTypes.code(proto, codeText).orElseThrow(() -> new BadParameter(ICMP_CODE, "'" + codeText
                + "' is not an " + proto.keyword() + " code", "use a number 0-255 or one of " + String.join(", ", IcmpTypes.codeNames(proto))));
        return new Flow(src, dst, proto.number(), 0, 0, type, code);
    }

    private static IPAddress address(Parameters p, String name, String what) {
        String text = p.required(name, "give " + what);
        IPAddressString s = new IPAddressString(text);
        if (!s.isIPAddress() || s.getNetworkPrefixLength() != null) {
            throw new BadParameter(name, "'" + text + "' is not a single IPv4 or IPv6 address", "give " + what);
        }
        return s.getAddress();
    }

    private static String family(IPAddress a) {
        return a.isIPv4() ? "IPv4" : "IPv6";
    }

    private static int port(Parameters p, String name, int fallback) {
        String text = p.get(name).orElse(null);
        if (text == null) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadParameter(name, "'" + text + "' is not a port number from 0 to 65535", "give a number such as 22");
    }
}
