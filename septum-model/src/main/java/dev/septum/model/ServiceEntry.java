package dev.septum.model;

import java.util.Optional;

/**
 * One protocol line of a service: protocol plus source and destination ports, and for ICMP and
 * ICMPv6 optionally a type (and code); without one every type matches.
 */
public record ServiceEntry(Protocol protocol, PortSpec sourcePorts, PortSpec destinationPorts, Optional<IcmpMatch> icmp) {
    public ServiceEntry {
        if (icmp.isPresent() && !IcmpTypes.hasTypes(protocol)) {
            throw new IllegalArgumentException("protocol " + protocol.keyword() + " has no ICMP type");
        }
    }

    public ServiceEntry(Protocol protocol, PortSpec sourcePorts, PortSpec destinationPorts) {
        this(protocol, sourcePorts, destinationPorts, Optional.empty());
    }

    /**
     * The entry a reply travels with: source and destination ports swapped, and an ICMP request
     * type (echo-request, timestamp-request, …) turned into its reply type, so the {@code -reverse}
     * match of a bidirectional ping rule lets the echo replies back through a stateless switch.
     */
    public ServiceEntry reversed() {
        return new ServiceEntry(protocol, destinationPorts, sourcePorts,
                icmp.map(i -> new IcmpMatch(IcmpTypes.replyType(protocol, i.type()), i.code())));
    }
}
