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
     * The decoder's path for a batch of a data set's records, in order: fields valid only during the
     * call. The session table overrides it to start the memory loads of every lookup in the batch
     * before applying the first, so the out-of-order core overlaps their cache misses (each lookup in
     * 10^5 sessions misses cache; one after another they dominated the collector's CPU).
     */
    default void acceptAll(FlowFields[] records, int count) {
        for (int i = 0; i < count; i++) {
            accept(records[i]);
        }
    }
}
