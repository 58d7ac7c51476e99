package dev.septum.verify;

import dev.septum.compile.plan.MatchAction;
import dev.septum.compile.plan.MatchEntry;
import dev.septum.compile.nftables.NftFamily;
import dev.septum.model.Device;
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

    /**
     * A Linux device is stateful only where every table it enforces with tracks connections: a
     * bridge table without {@code bridge-conntrack} is as stateless as a switch.
     */
    public static Semantics of(Device device) {
        boolean stateful = device.platform() == Platform.NFTABLES
                && NftFamily.of(device).stream().allMatch(f -> f.stateful(device));
        return stateful ? STATEFUL : STATELESS;
    }
}
