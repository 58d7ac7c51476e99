package dev.septum.verify;

import dev.septum.model.IpFamily;
import dev.septum.model.Protocol;
import inet.ipaddr.IPAddress;

/** One packet's header as the rules see it. Ports are 0 for protocols without ports. */
public record Flow(IPAddress source, IPAddress destination, int protocol, int sourcePort, int destinationPort) {
    public Flow {
        if (source.isIPv4() != destination.isIPv4()) {
            throw new IllegalArgumentException("source " + source + " and destination " + destination
                    + " are of different address families");
        }
    }

    public IpFamily family() {
        return IpFamily.of(source);
    }

    public boolean hasPorts() {
        return new Protocol(protocol).hasPorts();
    }

    /** {@code 10.0.0.1:49152 -> 10.0.0.2:22 tcp}, ports left out when the protocol has none. */
    @Override
    public String toString() {
        String p = new Protocol(protocol).keyword();
        return hasPorts()
                ? host(source) + ":" + sourcePort + " -> " + host(destination) + ":" + destinationPort + " " + p
                : host(source) + " -> " + host(destination) + " " + p;
    }

    private static String host(IPAddress a) {
        String text = a.withoutPrefixLength().toCanonicalString();
        return a.isIPv6() ? "[" + text + "]" : text;
    }
}
