package dev.septum.flows.tag;

import dev.septum.flows.IpAddr;

/**
 * Tags a session with what a policy says of it. Implemented above this module (the server and the
 * CLI implement it with the verification engine, which flows may not depend on) and handed to the
 * {@link dev.septum.flows.store.FlowStore}, which stores whatever it returns.
 */
@FunctionalInterface
public interface SessionTagger {
    /** Stores sessions untagged. */
    SessionTagger NONE = (protocol, client, clientPort, server, serverPort) -> SessionTags.NONE;

    /**
     * @param clientPort the client's port, or {@code 0} when it is not known (folded into {@code eph})
     */
    SessionTags tag(int protocol, IpAddr client, int clientPort, IpAddr server, int serverPort);
}
