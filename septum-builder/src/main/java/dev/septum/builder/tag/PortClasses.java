package dev.septum.builder.tag;

import dev.septum.model.PolicyModel;
import dev.septum.model.PortSpec;
import dev.septum.model.ServiceEntry;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * Ports a policy cannot tell apart. Services match a port only by the ranges it falls in, so two
 * ports inside exactly the same ranges get the same verdict, match and services: a session's tags
 * can be remembered per class rather than per port, which keeps the tag cache small when a million
 * live sessions differ only in their ephemeral client ports.
 */
final class PortClasses {
    /** Sorted starts of the classes: each range's low end and the port after its high end. */
    private final int[] starts;

    private PortClasses(int[] starts) {
        this.starts = starts;
    }

    static PortClasses of(PolicyModel model) {
        TreeSet<Integer> bounds = new TreeSet<>();
        bounds.add(0);
        for (var service : model.services().values()) {
            for (ServiceEntry e : service.entries()) {
                add(bounds, e.sourcePorts());
                add(bounds, e.destinationPorts());
            }
        }
        return new PortClasses(bounds.stream().mapToInt(Integer::intValue).toArray());
    }

    private static void add(TreeSet<Integer> bounds, PortSpec ports) {
        ports.items().forEach(i -> {
            bounds.add(i.low());
            bounds.add(i.high() + 1);
        });
    }

    /** The sorted starts of the classes, the first 0 (a copy). */
    int[] starts() {
        return starts.clone();
    }

    /** The class of a port: ports of one class are inside the same ranges. */
    int classOf(int port) {
        int i = Arrays.binarySearch(starts, port);
        return i >= 0 ? i : -i - 2;
    }
}
