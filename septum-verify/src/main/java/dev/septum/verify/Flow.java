package dev.septum.verify;

import dev.septum.model.IcmpTypes;
import dev.septum.model.IpFamily;
import dev.septum.model.Protocol;
import inet.ipaddr.IPAddress;
import java.util.OptionalInt;

/**
 * One packet's header as the rules see it. Ports are 0 for protocols without ports; the ICMP type
 * and code are 0 for protocols other than ICMP and ICMPv6.
 */
public record Flow(IPAddress source, IPAddress destination, int protocol, int sourcePort, int destinationPort,
                   int icmpType, int icmpCode) {
    public Flow {
        if (source.isIPv4() != destination.isIPv4()) {
            throw new IllegalArgumentException("source " + source + " and destination " + destination
                    + " are of different address families");
        }
    }

    /** A packet without an explicit ICMP type: an ICMP or ICMPv6 one is an echo request, the commonest. */
    public Flow(IPAddress source, IPAddress destination, int protocol, int sourcePort, int destinationPort) {
        this(source, destination, protocol, sourcePort, destinationPort, echoRequest(protocol), 0);
    }

    private static int echoRequest(int protocol) {
        return protocol == Protocol.ICMP.number() ? 8 : protocol == Protocol.ICMPV6.number() ? 128 : 0;
    }

    public IpFamily family() {
        return IpFamily.of(source);
    }

    public boolean hasPorts() {
        return new Protocol(protocol).hasPorts();
    }

    public boolean hasIcmpType() {
        return IcmpTypes.hasTypes(new Protocol(protocol));
    }

    /** {@code tcp 49152 -> 22}, {@code icmp echo-request}, {@code gre}. */
    public String service() {
        Protocol p = new Protocol(protocol);
        if (hasPorts()) {
            return p.keyword() + " " + sourcePort + " -> " + destinationPort;
        }
        return hasIcmpType() ? p.keyword() + " " + IcmpTypes.describe(p, icmpType, OptionalInt.of(icmpCode)) : p.keyword();
    }

    /** {@code 10.0.0.1:49152 -> 10.0.0.2:22 tcp}, {@code 10.0.0.1 -> 10.0.0.2 icmp echo-request code 0}. */
    @Override
    public String toString() {
        String p = new Protocol(protocol).keyword();
        if (hasPorts()) {
            return host(source) + ":" + sourcePort + " -> " + host(destination) + ":" + destinationPort + " " + p;
        }
        return host(source) + " -> " + host(destination) + " " + service();
    }

    private static String host(IPAddress a) {
        String text = a.withoutPrefixLength().toCanonicalString();
        return a.isIPv6() ? "[" + text + "]" : text;
    }
}
