package dev.septum.model;

/** One protocol line of a service: protocol plus source and destination ports. */
public record ServiceEntry(Protocol protocol, PortSpec sourcePorts, PortSpec destinationPorts) {

    /** The entry a reply travels with: source and destination ports swapped. */
    public ServiceEntry reversed() {
        return new ServiceEntry(protocol, destinationPorts, sourcePorts);
    }
}
