package dev.septum.flows;

/** Where decoded flow records go: the session table, a test list, a counter. */
@FunctionalInterface
public interface FlowSink {
    void accept(FlowRecord record);

    /**
     * The decoder's path: fields valid only during the call. Sinks that keep records get a copy by
     * default; the session table overrides this to read the fields in place.
     */
    default void accept(FlowFields fields) {
        accept(fields.toRecord());
    }
}
