package dev.septum.model;

import java.util.List;

/** A named service: one or more protocol/port entries (e.g. DNS = udp any -> domain). */
public record Service(String name, List<ServiceEntry> entries, SourceLocation at) implements PolicyObject {
    public Service {
        entries = List.copyOf(entries);
    }
}
