package dev.septum.flows.decode;

import java.net.InetSocketAddress;

/**
 * Template scope: RFC 7011 §8 binds templates to (transport session, observation domain); over UDP the
 * session is the exporter's address and port. NetFlow v9 ids live in a separate space (version).
 */
public record DomainKey(InetSocketAddress exporter, int version, long domainId) {
}
