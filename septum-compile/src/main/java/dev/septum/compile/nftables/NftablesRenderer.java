package dev.septum.compile.nftables;

import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.MatchAction;
import dev.septum.compile.plan.MatchEntry;
import dev.septum.compile.plan.PrefixFieldSet;
import dev.septum.compile.plan.Semantics;
import dev.septum.compile.plan.ServiceFieldSet;
import dev.septum.compile.plan.TrafficPolicyPlan;
import dev.septum.compile.render.ConfigRenderer;
import dev.septum.compile.render.ConfigText;
import dev.septum.model.Device;
import dev.septum.model.IpFamily;
import dev.septum.model.Platform;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Renders a device plan as an {@code nft -f} script that replaces Septum's own table and nothing
 * else: {@code table X septum} (create if missing), {@code delete table X septum}, then the full
 * table, all in one transaction, so the kernel swaps the old ruleset for the new one atomically or
 * keeps the old one.
 *
 * <p>Same semantics as the EOS renderer: matches in policy order, first match wins, unmatched
 * traffic is accepted. Stateful tables (inet; bridge with conntrack) accept
 * {@code ct state established,related} before any rule, so replies of a flow that was forwarded
 * pass even when a later drop rule would match them reversed; new flows still meet every rule in
 * order. The {@code -reverse} match of a bidirectional forward rule is left out (conntrack passes
 * the replies, and the reverse match would let the server side open flows from its service port),
 * but the {@code -reverse} match of a drop rule stays: it acts on flows opened from the other
 * side, which EOS drops too. So a new flow is never forwarded where EOS would not forward it.
 * Stateless bridge tables render every {@code -reverse} match as EOS does.
 *
 * <p>A monitored rule (one with a monitor object) also logs its packets to an NFLOG group
 * ({@link NftNames#nflogGroup}), which {@code septum mirror-agent} forwards to the monitor node as GRE,
 * the way a switch's {@code mirror session} does. A stateful table sees only a flow's first packet in
 * the policy chain, so a monitored forward also sets a conntrack mark, and the base chains log the
 * flow's later packets (both directions) by that mark before conntrack accepts them: the monitor sees
 * whole sessions, as it does from a switch. A stateless bridge table logs every packet in the policy
 * chain already (the rule and its {@code -reverse} match).
 *
 * <p>A staged rule's matches are rendered where they would sit, with the same conditions and a named
 * counter but no verdict and no log: a packet they match goes on to the next rule, so the table
 * decides exactly what it decides without them, and the counter shows what the rule would have
 * decided. The verifier models them the same way (it reads only {@link TrafficPolicyPlan#matches}).
 *
 * <p>Two forms of a chain, chosen per run of matches ({@link PolicyChain}): a run of at least
 * {@link #MAP_FROM} consecutive plain port-carrying matches (TCP, UDP or SCTP services only; no
 * staged or monitored match inside) becomes one rule that looks the packet up once in an interval
 * map of first-match regions ({@link FirstMatchRegions}) for its verdict; each region's element
 * counts its packets and names the match that owns it, so every match's counter stays exact.
 * Everything else stays one rule per match, in place: short runs (cheap to walk, easy to read),
 * matches without ports (a region key needs {@code th sport . th dport}, which a packet of another
 * protocol does not have), staged and monitored matches (their counters and logs act on
 * packets that go on), and a run whose overlaps would need too many regions.
 *
 * <p>Several VRFs (a router with Linux VRF devices): one policy chain per VRF, and the base chains
 * send each packet to the chain of the VRF device it came in on; the kernel's main table is the VRF
 * called {@code default}.
 *
 * <p>Redirect, on a router with one VRF ({@link RedirectRouting}): a prerouting chain walks the
 * policy's matches up to its last redirect for each new connection, first match wins, and marks the
 * connections a redirect decides; their later packets take the mark from conntrack, and traffic
 * coming back in on a redirect object's router port is never marked (the next hop would hand it
 * back to be redirected again, a loop). The policy chain accepts redirected traffic; policy routing
 * sends it to the next hops. The {@code ip} rules and routes follow the nft script as routing
 * sections ({@link NftNames#ROUTING_SECTION}), so they are part of the reviewed, hashed config, and
 * the deploy driver applies them before the script. The nftables profile refuses redirect anywhere
 * else (bridges, several VRFs, a redirect object without a router port) with a build diagnostic.
 */
public final class NftablesRenderer implements ConfigRenderer {
    /** Shortest run of port-carrying matches rendered as a region map; shorter runs walk as fast. */
    public static final int MAP_FROM = 32;

    private final int mapFrom;

    public NftablesRenderer() {
        this(MAP_FROM);
    }

    /** A renderer that maps runs from {@code mapFrom} matches on (tests force the map form on small policies). */
    public NftablesRenderer(int mapFrom) {
        this.mapFrom = mapFrom;
    }

    @Override
    public Platform platform() {
        return Platform.NFTABLES;
    }

    @Override
    public String render(DevicePlan plan) {
        ConfigText out = new ConfigText();
        out.line(0, "#!/usr/sbin/nft -f");
        out.line(0, "# Septum ruleset for device " + plan.name() + ". Replaces only the tables named "
                + NftNames.TABLE + ", in one transaction.");
        RedirectRouting routing = RedirectRouting.of(plan);
        if (!routing.targets().isEmpty() && (!NftFamily.of(plan.device()).equals(List.of(NftFamily.INET))
                || plan.trafficPolicies().size() != 1)) {
            throw new IllegalArgumentException("device '" + plan.name() + "' redirects, which an nftables device does "
                    + "only as a router with one VRF; the build refuses such a plan before rendering");
        }
        for (NftFamily family : NftFamily.of(plan.device())) {
            new TableWriter(out, plan, family, family.stateful(plan.device()), mapFrom, routing).write();
        }
        routing.writeSections(out);
        return out.toString();
    }

    /** Writes one family's table; holds what every part of that table needs to agree on. */
    private static final class TableWriter {
        private final ConfigText out;
        private final DevicePlan plan;
        private final NftFamily family;
        private final boolean stateful;
        private final Semantics semantics;
        private final List<MatchEntry> matches;
        private final Map<String, ServiceFieldSet> serviceSets;
        private final List<PolicyChain> chains;
        private final RedirectRouting routing;

        TableWriter(ConfigText out, DevicePlan plan, NftFamily family, boolean stateful, int mapFrom,
                    RedirectRouting routing) {
            this.routing = routing;
            this.out = out;
            this.plan = plan;
            this.family = family;
            this.stateful = stateful;
            this.semantics = stateful ? Semantics.STATEFUL : Semantics.STATELESS;
            this.matches = plan.trafficPolicies().stream().flatMap(tp -> rendered(tp).stream()).toList();
            this.serviceSets = plan.serviceSets().stream().collect(Collectors.toMap(ServiceFieldSet::name, s -> s));
            Map<String, PrefixFieldSet> prefixSets = plan.prefixSets().stream()
                    .collect(Collectors.toMap(PrefixFieldSet::name, s -> s));
            this.chains = plan.trafficPolicies().stream()
                    .map(tp -> PolicyChain.of(tp, rendered(tp), mapFrom, prefixSets, serviceSets)).toList();
        }

        /** The policy's matches this table renders, in order. */
        private List<MatchEntry> rendered(TrafficPolicyPlan tp) {
            return tp.entries().stream().filter(m -> !replacedByConntrack(m)).toList();
        }

        /** The matches rendered as rules of their own: only their field sets are written out. */
        private List<MatchEntry> linearMatches() {
            return chains.stream().flatMap(c -> c.steps().stream()).<MatchEntry>mapMulti((step, linear) -> {
                if (step instanceof PolicyChain.Linear l) {
                    linear.accept(l.match());
                }
            }).toList();
        }

        /**
         * The matches the prerouting chain walks for a new connection: the applied ones up to the
         * last redirect (after it nothing is marked). Empty when nothing redirects.
         */
        private List<MatchEntry> redirectWalk() {
            List<MatchEntry> applied = matches.stream().filter(m -> !m.staged()).toList();
            int last = -1;
            for (int i = 0; i < applied.size(); i++) {
                if (applied.get(i).action() instanceof MatchAction.Redirect) {
                    last = i;
                }
            }
            return applied.subList(0, last + 1);
        }

        /** The matches whose field sets some rule names: the linear ones and those the prerouting chain walks. */
        private List<MatchEntry> setUsers() {
            List<MatchEntry> users = new ArrayList<>(linearMatches());
            users.addAll(redirectWalk());
            return users;
        }

        /** Replies of forwarded flows pass by conntrack; a stateful table needs no reverse forward match. */
        private boolean replacedByConntrack(MatchEntry m) {
            return !semantics.applies(m);
        }

        void write() {
            String table = family.keyword() + " " + NftNames.TABLE;
            out.line(0, "table " + table);
            out.line(0, "delete table " + table);
            out.line(0, "table " + table + " {");
            counters();
            prefixSets();
            serviceSets();
            chains.forEach(c -> RegionMaps.declare(out, c, this::verdict));
            chains.forEach(this::policyChain);
            baseChains();
            out.line(0, "}");
        }

        /**
         * One counter per match (not per nft rule), so a match's hits read back as one number; a
         * match that owns regions of a map counts on their elements instead (one object per match
         * would double the map's load time), and one whose regions all lie under earlier matches
         * keeps a named counter that stays at zero, as its linear rule's would.
         */
        private void counters() {
            Set<String> onElements = new HashSet<>();
            chains.forEach(c -> onElements.addAll(RegionMaps.counted(c)));
            for (MatchEntry m : matches) {
                if (!onElements.contains(m.name())) {
                    out.line(4, "counter " + NftNames.counter(m.name()) + " { comment \"" + NftNames.counterComment(m) + "\" }");
                }
            }
        }

        private void prefixSets() {
            Set<String> used = new LinkedHashSet<>();
            setUsers().forEach(m -> {
                used.addAll(m.sourceSets());
                used.addAll(m.destinationSets());
            });
            for (PrefixFieldSet set : plan.prefixSets()) {
                if (!used.contains(set.name())) {
                    continue;
                }
                String type = set.family() == IpFamily.IPV4 ? "ipv4_addr" : "ipv6_addr";
                out.line(4, "set " + NftNames.prefixSet(set.name()) + " {");
                out.line(8, "# group " + set.group());
                out.line(8, "type " + type);
                out.line(8, "flags interval");
                // auto-merge lets a group list both a prefix and a host inside it, as EOS allows
                out.line(8, "auto-merge");
                elements(set.prefixes().stream().map(IPAddress::toCanonicalString).toList());
                out.line(4, "}");
            }
        }

        private void serviceSets() {
            Set<String> used = new LinkedHashSet<>();
            setUsers().forEach(m -> used.addAll(m.serviceSets()));
            for (ServiceFieldSet set : plan.serviceSets()) {
                if (!used.contains(set.name())) {
                    continue;
                }
                List<String> ports = ServiceElements.portElements(set.entries());
                List<String> protocols = ServiceElements.protocolElements(set.entries());
                if (!ports.isEmpty()) {
                    out.line(4, "set " + NftNames.portSet(set.name()) + " {");
                    out.line(8, "# service " + set.service() + (set.reverse() ? " (reverse)" : "")
                            + ": protocol . source port . destination port");
                    out.line(8, "type inet_proto . inet_service . inet_service");
                    out.line(8, "flags interval");
                    elements(ports);
                    out.line(4, "}");
                }
                if (!protocols.isEmpty()) {
                    out.line(4, "set " + NftNames.protocolSet(set.name()) + " {");
                    out.line(8, "# service " + set.service() + ": protocols without ports");
                    out.line(8, "type inet_proto");
                    elements(protocols);
                    out.line(4, "}");
                }
            }
        }

        private void elements(List<String> elements) {
            if (!elements.isEmpty()) {
                out.line(8, "elements = { " + String.join(", ", elements) + " }");
            }
        }

        private void policyChain(PolicyChain chain) {
            TrafficPolicyPlan tp = chain.policy();
            out.line(4, "chain " + NftNames.policyChain(tp.vrf()) + " {");
            out.line(8, "# traffic-policy " + tp.name() + " (VRF " + tp.vrf() + "): first match wins, no match accepts");
            for (PolicyChain.Step step : chain.steps()) {
                switch (step) {
                    case PolicyChain.Linear l -> linearRules(l.match());
                    case PolicyChain.Mapped mapped -> RegionMaps.rules(out, mapped);
                }
            }
            out.line(4, "}");
        }

        private void linearRules(MatchEntry m) {
            out.line(8, "# " + m.name() + (m.description().isEmpty() ? "" : ": " + m.description()));
            if (m.staged()) {
                out.line(8, "# staged: counts what it would " + actionWord(m) + ", decides nothing");
                String count = "counter name " + NftNames.counter(m.name()) + " comment \"staged\"";
                conditions(m).forEach(c -> out.line(8, c + count));
                return;
            }
            m.mirrorSession().ifPresent(session -> out.line(8, "# monitored: mirror session " + session
                    + " (septum mirror-agent --nflog-group " + NftNames.nflogGroup(session) + ")"));
            String verdict = "counter name " + NftNames.counter(m.name()) + " " + monitor(m) + verdict(m);
            conditions(m).forEach(c -> out.line(8, c + verdict));
        }

        private String monitor(MatchEntry m) {
            if (m.mirrorSession().isEmpty()) {
                return "";
            }
            int group = NftNames.nflogGroup(m.mirrorSession().get());
            boolean marksFlow = stateful && m.action() instanceof MatchAction.Forward;
            return (marksFlow ? "ct mark set " + NftNames.monitorMark(group) + " " : "") + "log group " + group + " ";
        }

        /** The groups of monitored forwards in a stateful table: their flows' later packets are logged by mark. */
        private Set<Integer> markedGroups() {
            Set<Integer> groups = new java.util.TreeSet<>();
            if (stateful) {
                matches.stream().filter(m -> !m.staged() && m.action() instanceof MatchAction.Forward)
                        .forEach(m -> m.mirrorSession().ifPresent(s -> groups.add(NftNames.nflogGroup(s))));
            }
            return groups;
        }

        private static String actionWord(MatchEntry m) {
            return switch (m.action()) {
                case MatchAction.Forward f -> "forward";
                case MatchAction.Drop d -> "drop";
                case MatchAction.Redirect r -> "redirect to " + r.redirectObject();
            };
        }

        private String verdict(MatchEntry m) {
            return switch (m.action()) {
                case MatchAction.Forward f -> "accept";
                case MatchAction.Drop d -> "drop";
                // policy routing (the prerouting mark) sends it to the next hops
                case MatchAction.Redirect r -> "accept";
            };
        }

        /**
         * The rule texts of one match (each ending in a space), OR-ed by writing them adjacent
         * with the same verdict and counter: one per source set x destination set x service set.
         */
        private List<String> conditions(MatchEntry m) {
            String ip = m.family() == IpFamily.IPV4 ? "ip" : "ip6";
            List<String> sources = orAny(m.sourceSets(), s -> ip + " saddr @" + NftNames.prefixSet(s) + " ");
            List<String> destinations = orAny(m.destinationSets(), s -> ip + " daddr @" + NftNames.prefixSet(s) + " ");
            List<String> services = new ArrayList<>();
            for (String s : m.serviceSets()) {
                ServiceFieldSet set = serviceSets.get(s);
                if (!ServiceElements.portElements(set.entries()).isEmpty()) {
                    services.add("meta l4proto . th sport . th dport @" + NftNames.portSet(s) + " ");
                }
                if (!ServiceElements.protocolElements(set.entries()).isEmpty()) {
                    services.add("meta l4proto @" + NftNames.protocolSet(s) + " ");
                }
                services.addAll(ServiceElements.icmpConditions(set.entries()));
            }
            if (services.isEmpty()) {
                services.add("");
            }
            // without an address set nothing ties the rule to its family; say it explicitly
            String familyGuard = m.sourceSets().isEmpty() && m.destinationSets().isEmpty() ? familyGuard(m.family()) : "";
            List<String> rules = new ArrayList<>();
            for (String src : sources) {
                for (String dst : destinations) {
                    for (String svc : services) {
                        rules.add(familyGuard + src + dst + svc);
                    }
                }
            }
            return rules;
        }

        private String familyGuard(IpFamily f) {
            return switch (family) {
                case INET -> "meta nfproto " + (f == IpFamily.IPV4 ? "ipv4 " : "ipv6 ");
                case BRIDGE -> "ether type " + (f == IpFamily.IPV4 ? "ip " : "ip6 ");
            };
        }

        private static List<String> orAny(List<String> sets, Function<String, String> render) {
            return sets.isEmpty() ? List.of("") : sets.stream().map(render).toList();
        }

        private void baseChains() {
            if (!routing.targets().isEmpty()) {
                redirectChain();
            }
            baseChain("forward", false);
            if (family == NftFamily.INET) {
                baseChain("input", true);
            }
        }

        /**
         * Where a base chain sends a packet: the one traffic-policy's chain; with several VRFs, the
         * chain of the VRF whose device the packet came in on ({@code goto}: the chain's end is the
         * packet's end, so no second VRF's chain sees it), and the main table's VRF ({@code default})
         * takes what no VRF device received. A packet of no VRF the plan names is accepted, as on a
         * switch where no traffic-policy is bound to its VRF.
         */
        private List<String> dispatch() {
            List<TrafficPolicyPlan> tps = plan.trafficPolicies();
            if (tps.size() == 1) {
                return List.of("jump " + NftNames.policyChain(tps.getFirst().vrf()));
            }
            List<String> rules = new ArrayList<>(List.of("# each VRF's packets come in on its VRF device; the main table's on no VRF device"));
            tps.forEach(tp -> NftNames.vrfDevice(tp.vrf()).ifPresent(dev ->
                    rules.add("iifname \"" + dev + "\" goto " + NftNames.policyChain(tp.vrf()))));
            tps.stream().filter(tp -> NftNames.vrfDevice(tp.vrf()).isEmpty())
                    .forEach(tp -> rules.add("goto " + NftNames.policyChain(tp.vrf())));
            return rules;
        }

        private void redirectChain() {
            out.line(4, "chain mark_redirects {");
            out.line(8, "type filter hook prerouting priority mangle; policy accept;");
            out.line(8, "# what the next hops send back is not redirected again");
            routing.targets().stream().map(RedirectRouting.Target::routerPort).distinct()
                    .forEach(port -> out.line(8, "iifname \"" + port + "\" return"));
            out.line(8, "# a redirected connection's later packets take its mark from conntrack");
            out.line(8, "ct state established,related ct mark and 0xffff0000 == " + NftNames.redirectMark(0)
                    + " meta mark set ct mark return");
            out.line(8, "ct state established,related return");
            out.line(8, "# new connections: the policy's matches up to its last redirect, first match wins");
            for (MatchEntry m : redirectWalk()) {
                String decision = switch (m.action()) {
                    case MatchAction.Redirect r -> {
                        String mark = routing.target(r).orElseThrow().mark();
                        yield "ct mark set " + mark + " meta mark set " + mark + " return";
                    }
                    case MatchAction.Forward f -> "return";
                    case MatchAction.Drop d -> "return";
                };
                out.line(8, "# " + m.name() + ": " + actionWord(m));
                conditions(m).forEach(c -> out.line(8, c + decision));
            }
            out.line(4, "}");
        }

        private void baseChain(String hook, boolean input) {
            out.line(4, "chain " + hook + " {");
            out.line(8, "type filter hook " + hook + " priority filter; policy accept;");
            if (input) {
                // the device's own loopback traffic is not the network's to segment
                out.line(8, "iif \"lo\" accept");
            }
            if (stateful) {
                for (int group : markedGroups()) {
                    out.line(8, "ct state established,related ct mark " + NftNames.monitorMark(group) + " log group " + group);
                }
                out.line(8, "ct state established,related accept");
            }
            dispatch().forEach(rule -> out.line(8, rule));
            out.line(4, "}");
        }
    }
}
