package dev.septum.compile.plan;

/**
 * How a device applies a traffic-policy. An EOS switch is stateless: every match, the
 * {@code -reverse} twins included, applies to every packet. A stateful device tracks connections:
 * replies of allowed connections pass by conntrack, so a forward rule's reverse match opens
 * nothing for a new connection and is not rendered; the reverse of a drop or redirect rule still
 * applies (in the seed, only {@code drop_all_else_web-app-reverse} stops the management subnet
 * reaching appserver1). The renderers and the verifier both ask this one place.
 */
public enum Semantics {
    STATELESS, STATEFUL;

    /** Whether the match takes part in deciding a new connection on such a device. */
    public boolean applies(MatchEntry m) {
        return this == STATELESS || !m.reverse() || !(m.action() instanceof MatchAction.Forward);
    }
}
