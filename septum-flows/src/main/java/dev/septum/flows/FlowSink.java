package dev.septum.flows;

/** Where decoded flow records go: the session table, a test list, a counter. */
@FunctionalInterface
public interface FlowSink {
    void accept(FlowRecord record);
}
