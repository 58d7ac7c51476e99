package dev.septum.deploy.nftables;

/**
 * One named counter of a Septum table as the kernel reports it. The renderer names counters
 * {@code c_<match>} and comments them {@code <policy>/<rule>}, so a reading maps back to a rule.
 */
public record CounterReading(String family, String name, String comment, long packets, long bytes) {
    /** The match name without the renderer's {@code c_} prefix. */
    public String match() {
        return name.startsWith("c_") ? name.substring(2) : name;
    }
}
