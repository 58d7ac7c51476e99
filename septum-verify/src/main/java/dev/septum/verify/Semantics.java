package dev.septum.verify;

import dev.septum.compile.plan.MatchAction;
import dev.septum.compile.plan.MatchEntry;
import dev.septum.model.Platform;

/**
 * How a device applies a traffic-policy. An EOS switch is stateless: every match, the
 * {@code -reverse} twins included, applies to every packet. An nftables device tracks
 * connections: replies of allowed connections pass by conntrack, so a forward rule's reverse
 * match opens nothing for a new connection and is not rendered; the reverse of a drop or
 * redirect rule still applies (in the seed, only {@code drop_all_else_web-app-reverse} stops
 * the management subnet reaching appserver1).
 */
public enum Semantics {
    STATELESS, STATEFUL;

    /** Whether the match takes part in deciding a new connection on such a device. */
    public boolean applies(MatchEntry m) {
        return this == STATELESS || !m.reverse() || !(m.action() instanceof MatchAction.Forward);
    }

    public static Semantics of(Platform platform) {
        return platform == Platform.NFTABLES ? STATEFUL : STATELESS;
    }
}
