package dev.septum.verify;

import dev.septum.model.Platform;

/**
 * How a device applies a traffic-policy. An EOS switch is stateless: every match, the
 * {@code -reverse} twins included, applies to every packet. An nftables device tracks
 * connections: replies of allowed connections pass by conntrack, so the reverse matches never
 * open anything for a new connection.
 */
public enum Semantics {
    STATELESS, STATEFUL;

    public static Semantics of(Platform platform) {
        return platform == Platform.NFTABLES ? STATEFUL : STATELESS;
    }
}
