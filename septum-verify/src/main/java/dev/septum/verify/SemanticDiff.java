package dev.septum.verify;

import dev.septum.compile.pipeline.PlatformProfiles;
import dev.septum.compile.plan.Semantics;

import com.github.javabdd.BDD;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.plan.MatchEntry;
import dev.septum.model.IpFamily;
import dev.septum.model.PolicyModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The packets whose verdict changes between two versions of a policy, per enforced VRF, told in
 * the policy's own words: each change is a (source group, destination group, service) cell taken
 * from the rules of either version, most specific first, so "newly blocked: web01_web02 ->
 * web01_web02 HTTP" explains a change before "web-appserver1 -> any" sweeps up the rest. Redirects
 * are changes of their own kind: newly redirected, no longer redirected, redirect target changed.
 */
public final class SemanticDiff {
    private SemanticDiff() {
    }

    /**
     * @param cell        e.g. {@code web01_web02 -> appserver1 appserver1-tcp}
     * @param whole       true when every packet of the cell changes
     * @param keptBy      for a partly changed cell, the new version's rules that keep the old verdict inside it
     */
    public record Change(String enforcedAt, IpFamily family, Verdict before, Verdict after, String cell, boolean whole,
                         Flow example, String decidedBefore, String decidedAfter, List<String> keptBy) {
        public Change {
            keptBy = List.copyOf(keptBy);
        }

        /** A redirect is a change of its own, whatever the other verdict: the traffic passes, through a firewall. */
        public Kind kind() {
            return Kind.of(before, after);
        }

        /** e.g. {@code newly redirected to fw (was forward): any -> web, HTTP, e.g. …}. */
        public String summary() {
            String detail = switch (kind()) {
                case NEWLY_ALLOWED, NEWLY_BLOCKED -> "";
                case NEWLY_REDIRECTED -> " to " + after.redirectTarget().orElseThrow() + " (was " + before + ")";
                case NO_LONGER_REDIRECTED -> " (was to " + before.redirectTarget().orElseThrow() + ", now " + after + ")";
                case REDIRECT_TARGET_CHANGED -> " (" + before.redirectTarget().orElseThrow() + " -> "
                        + after.redirectTarget().orElseThrow() + ")";
            };
            return kind().keyword() + detail + ": " + cell + (whole ? "" : " (in part)") + ", e.g. " + example;
        }
    }

    /** What a change does to the packets of its cell. */
    public enum Kind {
        NEWLY_ALLOWED, NEWLY_BLOCKED, NEWLY_REDIRECTED, NO_LONGER_REDIRECTED, REDIRECT_TARGET_CHANGED;

        /** A redirect is a change of its own, whatever the other verdict: the traffic passes, through a firewall. */
        public static Kind of(Verdict before, Verdict after) {
            if (before.redirectTarget().isPresent() && after.redirectTarget().isPresent()) {
                return REDIRECT_TARGET_CHANGED;
            }
            if (after.redirectTarget().isPresent()) {
                return NEWLY_REDIRECTED;
            }
            if (before.redirectTarget().isPresent()) {
                return NO_LONGER_REDIRECTED;
            }
            return after.equals(Verdict.FORWARD) ? NEWLY_ALLOWED : NEWLY_BLOCKED;
        }

        /** {@code newly allowed}, {@code redirect target changed}, … */
        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    /** Enforcement points are matched by device name; a device in one version only is compared with nothing. */
    public static List<Change> compare(PolicyBuild before, PolicyBuild after) {
        List<Change> changes = new ArrayList<>();
        comparisons(before, after).forEach(c -> changes.addAll(c.changes()));
        return changes;
    }

    /**
     * The packets whose verdict goes from {@code before} to {@code after} in one enforced VRF and
     * address family, on every device listed in {@code enforcedAt}, with what decides them on either
     * side: the exact sets {@link #compare} names by cells, for intersecting with observed traffic.
     */
    public record Region(String enforcedAt, HeaderSpace space, Semantics semantics, Verdict before, Verdict after, BDD packets,
                         Optional<DevicePlan> planBefore, Optional<DevicePlan> planAfter, String vrf,
                         DecisionModel modelBefore, DecisionModel modelAfter) {
        public Kind kind() {
            return Kind.of(before, after);
        }

        /** Every match of the old version deciding part of the region, with that part: the exact split, for proofs. */
        public List<Decided> decidersBefore() {
            return decided(modelBefore);
        }

        public List<Decided> decidersAfter() {
            return decided(modelAfter);
        }

        private List<Decided> decided(DecisionModel model) {
            List<Decided> out = new ArrayList<>();
            for (DecisionModel.Decision d : model.decisions()) {
                BDD part = packets.and(d.decides());
                if (part.isZero()) {
                    part.free();
                } else {
                    out.add(new Decided(Optional.of(d.match()), part));
                }
            }
            BDD rest = packets.and(model.undecided());
            if (rest.isZero()) {
                rest.free();
            } else {
                out.add(new Decided(Optional.empty(), rest));
            }
            return out;
        }

        /** The match deciding the packet in the old version, or the built-in default. */
        public String decidedBefore(Flow flow) {
            return decider(planBefore, vrf, flow);
        }

        public String decidedAfter(Flow flow) {
            return decider(planAfter, vrf, flow);
        }
    }

    /** The part of a region one match decides in one version; no match is the built-in default, which forwards. */
    public record Decided(Optional<MatchEntry> match, BDD packets) {
    }

    /** Every changed region of every enforced VRF, devices with the same pair of plans once. */
    public static List<Region> regions(PolicyBuild before, PolicyBuild after) {
        List<Region> regions = new ArrayList<>();
        comparisons(before, after).forEach(c -> regions.addAll(c.regions()));
        return regions;
    }

    private static List<Comparison> comparisons(PolicyBuild before, PolicyBuild after) {
        Map<String, DevicePlan> a = byDevice(before.plans());
        Map<String, DevicePlan> b = byDevice(after.plans());
        List<Comparison> comparisons = new ArrayList<>();
        Map<String, Boolean> compared = new LinkedHashMap<>();
        for (String device : union(a, b)) {
            Optional<DevicePlan> pa = Optional.ofNullable(a.get(device));
            Optional<DevicePlan> pb = Optional.ofNullable(b.get(device));
            for (String vrf : vrfs(pa, pb)) {
                String key = signature(pa, vrf) + "|" + signature(pb, vrf);
                if (compared.putIfAbsent(key, true) == null) {
                    for (IpFamily family : IpFamily.values()) {
                        if (!SameDecisions.of(pa, pb, vrf, family)) {
                            comparisons.add(new Comparison(family, pa, pb, vrf, devicesLabel(a, b, pa, pb, vrf)));
                        }
                    }
                }
            }
        }
        return comparisons;
    }

    private static String decider(Optional<DevicePlan> plan, String vrf, Flow flow) {
        return plan.flatMap(p -> FlowTracer.trace(p, vrf, flow)).map(FlowTracer.Trace::decidingMatch).orElse("no traffic-policy");
    }

    private static Map<String, DevicePlan> byDevice(List<DevicePlan> plans) {
        Map<String, DevicePlan> map = new LinkedHashMap<>();
        plans.forEach(p -> map.put(p.name(), p));
        return map;
    }

    private static List<String> union(Map<String, DevicePlan> a, Map<String, DevicePlan> b) {
        List<String> names = new ArrayList<>(a.keySet());
        b.keySet().stream().filter(n -> !a.containsKey(n)).forEach(names::add);
        return names;
    }

    private static List<String> vrfs(Optional<DevicePlan> a, Optional<DevicePlan> b) {
        List<String> vrfs = new ArrayList<>();
        for (Optional<DevicePlan> p : List.of(a, b)) {
            p.ifPresent(plan -> plan.trafficPolicies().forEach(tp -> {
                if (!vrfs.contains(tp.vrf())) {
                    vrfs.add(tp.vrf());
                }
            }));
        }
        return vrfs;
    }

    /** Devices sharing the same pair of plans are compared once. */
    private static String signature(Optional<DevicePlan> plan, String vrf) {
        return plan.flatMap(p -> FlowTracer.policyFor(p, vrf).map(tp -> System.identityHashCode(tp) + "/"
                + PlatformProfiles.semantics(p.device()))).orElse("none");
    }

    private static String devicesLabel(Map<String, DevicePlan> a, Map<String, DevicePlan> b, Optional<DevicePlan> pa,
                                       Optional<DevicePlan> pb, String vrf) {
        String sig = signature(pa, vrf) + "|" + signature(pb, vrf);
        List<String> devices = union(a, b).stream()
                .filter(d -> (signature(Optional.ofNullable(a.get(d)), vrf) + "|" + signature(Optional.ofNullable(b.get(d)), vrf)).equals(sig))
                .toList();
        return "VRF " + vrf + " on " + String.join(", ", devices);
    }

    /** One enforced VRF in one family: both versions' decisions over a shared header space. */
    private static final class Comparison {
        private final HeaderSpace space;
        private final Side before;
        private final Side after;
        private final String label;

        Comparison(IpFamily family, Optional<DevicePlan> a, Optional<DevicePlan> b, String vrf, String label) {
            this.space = new HeaderSpace(family);
            this.before = new Side(space, a, vrf);
            this.after = new Side(space, b, vrf);
            this.label = label;
        }

        List<Region> regions() {
            List<Region> out = new ArrayList<>();
            for (var va : before.decisions.verdicts().entrySet()) {
                for (var vb : after.decisions.verdicts().entrySet()) {
                    BDD both = va.getKey().equals(vb.getKey()) ? space.none() : va.getValue().and(vb.getValue());
                    if (!both.isZero()) {
                        out.add(new Region(label, space, after.semantics().or(before::semantics).orElse(Semantics.STATELESS),
                                va.getKey(), vb.getKey(), both, before.plan, after.plan, before.vrf, before.decisions, after.decisions));
                    }
                }
            }
            return out;
        }

        List<Change> changes() {
            List<Change> out = new ArrayList<>();
            List<Cell> cells = new ArrayList<>(before.cells());
            cells.addAll(after.cells());
            cells.sort(Comparator.comparingDouble(c -> c.packets().satCount()));
            for (Region region : regions()) {
                BDD remaining = region.packets();
                for (Cell cell : cells) {
                    if (remaining.isZero()) {
                        break;
                    }
                    BDD part = remaining.and(cell.packets());
                    if (part.isZero()) {
                        continue;
                    }
                    Flow example = space.example(part);
                    boolean whole = cell.packets().and(part.not()).isZero();
                    out.add(new Change(label, space.family(), region.before(), region.after(), cell.label(), whole, example,
                            region.decidedBefore(example), region.decidedAfter(example),
                            whole ? List.of() : after.keeping(cell.packets(), region.before(), region.after())));
                    remaining = remaining.and(cell.packets().not());
                }
            }
            return out;
        }
    }

    /** A region named by a rule's field-sets: one source set, one destination set, one service set. */
    private record Cell(String label, BDD packets) {
    }

    /** One version of the enforced VRF. */
    private static final class Side {
        final DecisionModel decisions;
        private final Optional<DevicePlan> plan;
        private final MatchSpaces spaces;
        private final String vrf;

        Side(HeaderSpace space, Optional<DevicePlan> plan, String vrf) {
            this.plan = plan;
            this.vrf = vrf;
            this.spaces = new MatchSpaces(space, plan.map(PlanIndex::new).orElse(null));
            this.decisions = plan.flatMap(p -> FlowTracer.policyFor(p, vrf))
                    .map(tp -> new DecisionModel(tp, spaces, PlatformProfiles.semantics(plan.get().device())))
                    .orElseGet(() -> DecisionModel.forwardAll(spaces));
        }

        List<Cell> cells() {
            List<Cell> cells = new ArrayList<>();
            for (DecisionModel.Decision d : decisions.decisions()) {
                MatchEntry m = d.match();
                for (String src : orAny(m.sourceSets())) {
                    for (String dst : orAny(m.destinationSets())) {
                        for (String svc : orAny(m.serviceSets())) {
                            MatchEntry one = new MatchEntry(m.name(), m.family(), m.policy(), m.rule(), "", m.reverse(),
                                    src.isEmpty() ? List.of() : List.of(src), dst.isEmpty() ? List.of() : List.of(dst),
                                    svc.isEmpty() ? List.of() : List.of(svc), m.decap(), m.action(), Optional.empty(), m.staged());
                            cells.add(new Cell(name(src) + " -> " + name(dst) + ", " + (svc.isEmpty() ? "all services" : svc),
                                    spaces.of(one)));
                        }
                    }
                }
            }
            return cells;
        }

        private static List<String> orAny(List<String> sets) {
            return sets.isEmpty() ? List.of("") : sets;
        }

        private static String name(String set) {
            return set.isEmpty() ? "any" : set;
        }

        Optional<Semantics> semantics() {
            return plan.map(p -> PlatformProfiles.semantics(p.device()));
        }

        /** Rules of this version that give the old verdict to part of the cell. */
        List<String> keeping(BDD cell, Verdict old, Verdict changedTo) {
            List<String> names = new ArrayList<>();
            for (DecisionModel.Decision d : decisions.decisions()) {
                if (d.verdict().equals(old) && !d.verdict().equals(changedTo) && !d.decides().and(cell).isZero()
                        && !names.contains(d.match().name())) {
                    names.add(d.match().name());
                }
            }
            if (old.equals(Verdict.FORWARD) && !decisions.undecided().and(cell).isZero()) {
                names.add("the default (no rule matches)");
            }
            return names;
        }
    }
}
