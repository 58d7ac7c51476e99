package dev.septum.deploy.nftables;

/**
 * One match's counter in a Septum table as the kernel reports it: a named counter, or the sum of
 * the region-map elements the match owns. The renderer names counters {@code c_<match>} and
 * comments them {@code <policy>/<rule>} (an element: {@code c_<match> <policy>/<rule>}), so a
 * reading maps back to a rule either way.
 */
public record CounterReading(String family, String name, String comment, long packets, long bytes) {
    /** The match name without the renderer's {@code c_} prefix. */
    public String match() {
        return name.startsWith("c_") ? name.substring(2) : name;
    }
}
