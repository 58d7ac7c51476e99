package dev.septum.flows.session;

/** Receives rows the table exports: interim (active timeout) and final ones. */
@FunctionalInterface
public interface SessionListener {
    void exported(SessionRow row);
}
