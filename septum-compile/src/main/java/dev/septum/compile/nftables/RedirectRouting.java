package dev.septum.compile.nftables;

import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.MatchAction;
import dev.septum.compile.plan.MatchEntry;
import dev.septum.compile.render.ConfigText;
import dev.septum.model.IpFamily;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedSet;

/**
 * How a Linux router redirects: by policy routing. A prerouting chain marks each new connection a
 * redirect rule decides (first match wins, as in the policy chain), conntrack keeps the mark for
 * the connection's later packets, and an {@code ip rule} sends marked packets to a routing table
 * of their own whose default route leads to the redirect object's next hops out of its router
 * port. An unreachable default route of the highest metric in that table keeps redirected traffic
 * from falling back to the main table when the next hops' route is gone (fail closed), and a last
 * rule refuses a redirect mark no table selects ({@link NftNames#REDIRECT_CATCH_ALL}).
 *
 * <p>Redirect objects are numbered from 1 in the order the plan first uses them; the number picks
 * the mark, the routing table and the rule priority ({@link NftNames#redirectMark},
 * {@link NftNames#redirectTable}).
 */
public record RedirectRouting(List<Target> targets) {
    /** One redirect object the router uses: its number, its router port and its next hops per family. */
    public record Target(int index, String redirectObject, String routerPort, Map<IpFamily, SequencedSet<IPAddress>> nextHops) {
        public String mark() {
            return NftNames.redirectMark(index);
        }

        public int table() {
            return NftNames.redirectTable(index);
        }
    }

    public RedirectRouting {
        targets = List.copyOf(targets);
    }

    /**
     * The redirect objects the plan's applied (not staged) matches use. The build refuses a plan
     * whose redirect object has no router port or that uses more than {@link NftNames#REDIRECT_MAX},
     * so either here is a pipeline bug.
     */
    public static RedirectRouting of(DevicePlan plan) {
        Map<String, Target> byName = new LinkedHashMap<>();
        for (MatchEntry m : plan.trafficPolicies().stream().flatMap(tp -> tp.entries().stream()).toList()) {
            if (m.staged() || !(m.action() instanceof MatchAction.Redirect r)) {
                continue;
            }
            Target t = byName.computeIfAbsent(r.redirectObject(), name -> new Target(byName.size() + 1, name,
                    r.routerPort().orElseThrow(() -> new IllegalArgumentException("device '" + plan.name()
                            + "': redirect '" + name + "' has no router-port; the build refuses such a plan before rendering")),
                    new LinkedHashMap<>()));
            t.nextHops().computeIfAbsent(m.family(), f -> new LinkedHashSet<>()).addAll(r.nextHops());
        }
        if (byName.size() > NftNames.REDIRECT_MAX) {
            throw new IllegalArgumentException("device '" + plan.name() + "' uses " + byName.size()
                    + " redirect objects; a router can use " + NftNames.REDIRECT_MAX);
        }
        return new RedirectRouting(new ArrayList<>(byName.values()));
    }

    public Optional<Target> target(MatchAction.Redirect r) {
        return targets.stream().filter(t -> t.redirectObject().equals(r.redirectObject())).findFirst();
    }

    /** The {@code ip -4 -batch} and {@code ip -6 -batch} sections, for the families some target uses. */
    void writeSections(ConfigText out) {
        for (IpFamily family : IpFamily.values()) {
            List<Target> used = targets.stream().filter(t -> t.nextHops().containsKey(family)).toList();
            if (used.isEmpty()) {
                continue;
            }
            out.line(0, NftNames.ROUTING_SECTION + (family == IpFamily.IPV4 ? "-4" : "-6") + " -batch");
            for (Target t : used) {
                String table = Integer.toString(t.table());
                out.line(0, RoutingLines.tableRule(t.table(), t.mark() + "/" + NftNames.REDIRECT_MARK_MASK, table));
                out.line(0, RoutingLines.defaultRoute(table, t.nextHops().get(family).stream()
                        .map(hop -> new RoutingLines.Hop(hop.toCanonicalString(), t.routerPort())).toList()));
                out.line(0, RoutingLines.unreachableDefault(NftNames.FAIL_CLOSED_METRIC, table));
            }
            out.line(0, RoutingLines.unreachableRule(NftNames.REDIRECT_CATCH_ALL, NftNames.REDIRECT_ANY_MARK));
        }
    }
}
