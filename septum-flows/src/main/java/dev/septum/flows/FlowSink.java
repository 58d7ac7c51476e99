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

    /**
     * A hint that {@code fields} will be accepted soon: the decoder calls it for each record of a batch
     * before accepting any, so a sink can start the memory loads its lookup will need. It must not
     * change any state a reader can observe. The session table uses it to overlap the cache misses of a
     * datagram's records (each lookup in 10^5 sessions misses cache; one after another they dominated
     * the collector's CPU).
     */
    default void prefetch(FlowFields fields) {
    }
}
