package dev.septum.flows.session;

/**
 * Canonical session key: the smaller endpoint is always {@code a}, so both directions of a
 * conversation, and both uniflow records an exporter sends for it, land on one entry.
 */
public record SessionKey(int vrf, int protocol, Endpoint a, Endpoint b) {
    public static SessionKey of(int vrf, int protocol, Endpoint x, Endpoint y) {
        return x.compareTo(y) <= 0 ? new SessionKey(vrf, protocol, x, y) : new SessionKey(vrf, protocol, y, x);
    }
}
