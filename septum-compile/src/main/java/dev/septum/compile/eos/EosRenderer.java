package dev.septum.compile.eos;

import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.FlowTracker;
import dev.septum.compile.plan.MatchAction;
import dev.septum.compile.plan.MatchEntry;
import dev.septum.compile.plan.MirrorSession;
import dev.septum.compile.plan.MonitorTunnel;
import dev.septum.compile.plan.PrefixFieldSet;
import dev.septum.compile.plan.ServiceFieldSet;
import dev.septum.compile.plan.TrafficPolicyPlan;
import dev.septum.compile.render.ConfigRenderer;
import dev.septum.compile.render.ConfigText;
import dev.septum.model.IpFamily;
import dev.septum.model.Platform;
import dev.septum.model.ServiceEntry;
import inet.ipaddr.IPAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Renders a device plan as Arista EOS config in the layout MSS produces and {@code show
 * running-config} prints: mirror sessions, then {@code traffic-policies} with the VRF bindings,
 * the field-sets sorted by name, the prefix transform, and one traffic-policy per VRF whose
 * matches follow rule order and end with the built-in {@code ipv4-all-default} and
 * {@code ipv6-all-default}. Staged matches are left out: the controller evaluates them on sessions.
 */
public final class EosRenderer implements ConfigRenderer {
    private static final String BLOCK_END = "!";

    @Override
    public Platform platform() {
        return Platform.EOS;
    }

    @Override
    public String render(DevicePlan plan) {
        ConfigText out = new ConfigText();
        plan.mirrorSessions().forEach(s -> mirrorSession(out, s));
        if (!plan.mirrorSessions().isEmpty()) {
            out.line(0, "monitor session default encapsulation gre payload full-packet");
        }
        if (!plan.trafficPolicies().isEmpty() || plan.prefixTransform()) {
            trafficPolicies(out, plan);
        }
        plan.flowTracker().ifPresent(t -> flowTracker(out, t));
        return out.toString();
    }

    private static void mirrorSession(ConfigText out, MirrorSession s) {
        out.line(0, "monitor session " + s.name() + " destination tunnel mode gre source " + s.source()
                + " destination " + s.destination() + " protocol 0x6558 key 0");
        if (s.truncate()) {
            out.line(0, "monitor session " + s.name() + " truncate");
        }
        out.line(0, "monitor session " + s.name() + " rate-limit per-egress-chip " + s.rateLimitKbps() + " kbps");
    }

    /**
     * EOS separates the blocks under {@code traffic-policies} with {@code !}, except that the
     * transforms line follows the last field-set directly; the seed's running-config shows both.
     */
    private static void trafficPolicies(ConfigText out, DevicePlan plan) {
        out.line(0, "traffic-policies");
        for (TrafficPolicyPlan tp : plan.trafficPolicies()) {
            out.line(3, "vrf " + tp.vrf());
            out.line(6, "traffic-policy input " + tp.name() + " physical");
            out.line(3, BLOCK_END);
        }
        Set<String> used = enforcedFieldSets(plan);
        boolean first = true;
        for (PrefixFieldSet set : plan.prefixSets()) {
            if (!used.contains(set.name())) {
                continue;
            }
            first = separate(out, first);
            out.line(3, "field-set " + set.family().keyword() + " prefix " + set.name());
            out.line(6, set.prefixes().stream().map(IPAddress::toCanonicalString).collect(Collectors.joining(" ")));
        }
        for (ServiceFieldSet set : plan.serviceSets()) {
            if (!used.contains(set.name())) {
                continue;
            }
            first = separate(out, first);
            out.line(3, "field-set service " + set.name());
            set.entries().forEach(e -> out.line(6, serviceLine(e)));
        }
        if (plan.prefixTransform()) {
            out.line(3, "transforms interface prefix common source-destination");
        }
        if (!first || plan.prefixTransform()) {
            out.line(3, BLOCK_END);
        }
        for (int i = 0; i < plan.trafficPolicies().size(); i++) {
            if (i > 0) {
                out.line(3, BLOCK_END);
            }
            trafficPolicy(out, plan.trafficPolicies().get(i));
        }
    }

    /**
     * The field-sets enforced matches use. Staged matches are not rendered on EOS (a count-only
     * match is not shown verdict-preserving there; the controller evaluates them on sessions), so
     * a field-set only they use would be config nothing reads.
     */
    private static Set<String> enforcedFieldSets(DevicePlan plan) {
        Set<String> used = new HashSet<>();
        for (TrafficPolicyPlan tp : plan.trafficPolicies()) {
            for (MatchEntry m : tp.matches()) {
                used.addAll(m.sourceSets());
                used.addAll(m.destinationSets());
                used.addAll(m.serviceSets());
            }
        }
        return used;
    }

    private static boolean separate(ConfigText out, boolean first) {
        if (!first) {
            out.line(3, BLOCK_END);
        }
        return false;
    }

    /**
     * Ports render as MSS does: {@code all}, a name, or a comma list (EOS rejects spaces). An ICMP
     * type renders as {@code protocol icmp type 8 code all} or {@code type 3 code 4}: the syntax of
     * real EOS traffic-policies (OpenConfig featureprofiles' Arista configs: {@code protocol icmp type
     * echo-reply code all}, {@code protocol icmpv6 type echo-reply neighbor-advertisement code all};
     * aerleon's arista_tp goldens: {@code protocol icmp type 0,10,13,15,16 code all}, {@code type 3 code
     * 3,4}). Types are numbers: EOS and nftables spell some names differently (EOS
     * {@code neighbor-advertisement}, nft {@code nd-neighbor-advert}) and no list of EOS's names is at
     * hand, while numbers are accepted for every type. Those sources show the line inside a match;
     * that a service field-set takes it as it takes the other {@code protocol} lines is inferred, not
     * seen on a switch.
     */
    static String serviceLine(ServiceEntry e) {
        String line = "protocol " + e.protocol().keyword();
        if (e.icmp().isPresent()) {
            return line + " type " + e.icmp().get().type() + " code "
                    + (e.icmp().get().code().isPresent() ? Integer.toString(e.icmp().get().code().getAsInt()) : "all");
        }
        if (!e.protocol().hasPorts()) {
            return line;
        }
        return line + " source port " + e.sourcePorts().eosText() + " destination port " + e.destinationPorts().eosText();
    }

    private static void trafficPolicy(ConfigText out, TrafficPolicyPlan tp) {
        out.line(3, "traffic-policy " + tp.name());
        if (!tp.description().isEmpty()) {
            out.line(6, "!! " + tp.description());
        }
        out.line(6, "description #policy-id=" + tp.policyId());
        for (MatchEntry m : tp.matches()) {
            out.line(6, BLOCK_END);
            match(out, m);
        }
        for (IpFamily family : IpFamily.values()) {
            out.line(6, BLOCK_END);
            out.line(6, "match " + family.keyword() + "-all-default " + family.keyword());
        }
    }

    private static void match(ConfigText out, MatchEntry m) {
        out.line(6, "match " + m.name() + " " + m.family().keyword());
        if (!m.description().isEmpty()) {
            out.line(9, "!! " + m.description());
        }
        prefixLine(out, "source", m.sourceSets());
        prefixLine(out, "destination", m.destinationSets());
        if (!m.serviceSets().isEmpty()) {
            out.line(9, "protocol service field-set " + String.join(" ", m.serviceSets()));
        }
        out.line(9, BLOCK_END);
        out.line(9, "actions");
        out.line(12, "count");
        switch (m.action()) {
            case MatchAction.Forward f -> { }
            case MatchAction.Drop d -> out.line(12, "drop");
            case MatchAction.Redirect r -> out.line(12, "redirect next-hop " + addresses(r.nextHops()));
        }
        m.mirrorSession().ifPresent(s -> out.line(12, "mirror session " + s));
    }

    private static void prefixLine(ConfigText out, String side, List<String> sets) {
        if (!sets.isEmpty()) {
            out.line(9, side + " prefix field-set " + String.join(" ", sets));
        }
    }

    private static String addresses(List<IPAddress> addresses) {
        return addresses.stream().map(IPAddress::toCanonicalString).collect(Collectors.joining(" "));
    }

    /** The monitor node side, as the MSS studio configures a ZTX/vZTX. */
    private static void flowTracker(ConfigText out, FlowTracker t) {
        out.line(0, "firewall distributed instance");
        out.line(3, "no disabled");
        out.line(0, BLOCK_END);
        out.line(0, "flow tracking firewall distributed");
        out.line(3, "tracker flowtrkr");
        out.line(6, "record export on interval " + t.activeTimeoutMs());
        out.line(6, "exporter exp");
        out.line(9, "collector 127.0.0.1");
        out.line(9, "local interface " + t.exporterInterface());
        out.line(3, "no shutdown");
        for (MonitorTunnel tunnel : t.tunnels()) {
            out.line(0, BLOCK_END);
            out.line(0, "interface Tunnel" + tunnel.index());
            out.line(3, "description mirror from " + tunnel.peer());
            out.line(3, "flow tracker firewall distributed flowtrkr");
            out.line(3, "tunnel mode gre");
            out.line(3, "tunnel source " + tunnel.source().toCanonicalString());
            out.line(3, "tunnel destination " + tunnel.destination().toCanonicalString());
        }
    }
}
