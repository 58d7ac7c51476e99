package dev.septum.compile.plan;

import dev.septum.model.ServiceEntry;
import java.util.List;

/**
 * A named set of protocol/port lines. A bidirectional rule also needs the {@code -reverse} set
 * of its services, whose source and destination ports are swapped.
 */
public record ServiceFieldSet(String name, String service, boolean reverse, List<ServiceEntry> entries) {
    public ServiceFieldSet {
        entries = List.copyOf(entries);
    }
}
