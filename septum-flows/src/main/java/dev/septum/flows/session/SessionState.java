package dev.septum.flows.session;

/** As the ZTX session table shows it: both directions seen, or only one. */
public enum SessionState {
    COMPLETE, HALF_OPEN;

    public String label() {
        return this == COMPLETE ? "complete" : "half-open";
    }
}
