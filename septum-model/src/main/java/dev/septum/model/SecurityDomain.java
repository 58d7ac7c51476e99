package dev.septum.model;

import java.util.List;

/** A named set of enforcing devices that share policies, per VRF (a site, a DC, a branch). */
public record SecurityDomain(String name, List<Ref> devices, List<String> vrfs, SourceLocation at) implements PolicyObject {
    public SecurityDomain {
        devices = List.copyOf(devices);
        vrfs = List.copyOf(vrfs);
    }
}
