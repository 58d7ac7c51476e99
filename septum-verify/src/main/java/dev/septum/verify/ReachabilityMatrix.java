package dev.septum.verify;

import dev.septum.compile.pipeline.PlatformProfiles;
import dev.septum.compile.plan.Semantics;

import com.github.javabdd.BDD;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.TrafficPolicyPlan;
import dev.septum.model.Group;
import dev.septum.model.IpFamily;
import dev.septum.model.PolicyModel;
import dev.septum.model.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which groups reach which, on which services, through one device's traffic-policy: for every
 * pair of groups, and the addresses outside every group (the internet) on either side, the
 * services forwarded for every packet, those forwarded for some, those redirected to a firewall,
 * and what happens to all other traffic between them.
 */
public final class ReachabilityMatrix {
    /** The row and column of every address in no group of the family, e.g. the internet. */
    public static final String OUTSIDE = "(outside every group)";
    /** The redirected "service" standing for the packets of no service. */
    public static final String OTHER_TRAFFIC = "other traffic";

    private ReachabilityMatrix() {
    }

    /** How much of a set of packets the policy forwards. */
    public enum Reach {
        ALL, SOME, NONE;

        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A service (or {@link #OTHER_TRAFFIC}) whose packets are sent to a redirect object, all or some of them. */
    public record Redirected(String service, String target, boolean whole) {
        /** {@code HTTP to fw}, {@code SSH to fw (in part)}. */
        @Override
        public String toString() {
            return service + " to " + target + (whole ? "" : " (in part)");
        }
    }

    public record Cell(String source, String destination, List<String> services, List<String> partly,
                       List<Redirected> redirected, Reach otherTraffic) {
        public Cell {
            services = List.copyOf(services);
            partly = List.copyOf(partly);
            redirected = List.copyOf(redirected);
        }
    }

    /** A row or column: a group's addresses in one family, or the addresses of none. */
    private record Endpoints(String name, BDD sources, BDD destinations) {
    }

    public static List<Cell> compute(PolicyModel model, DevicePlan plan, String vrf) {
        Optional<TrafficPolicyPlan> tp = FlowTracer.policyFor(plan, vrf);
        List<Cell> cells = new ArrayList<>();
        for (IpFamily family : IpFamily.values()) {
            List<Group> groups = model.groups().values().stream().filter(g -> g.hasFamily(family)).toList();
            if (groups.isEmpty()) {
                continue;
            }
            HeaderSpace space = new HeaderSpace(family);
            MatchSpaces spaces = new MatchSpaces(space, new PlanIndex(plan));
            DecisionModel decisions = tp.map(t -> new DecisionModel(t, spaces, PlatformProfiles.semantics(plan.device())))
                    .orElseGet(() -> DecisionModel.forwardAll(spaces));
            BDD forwarded = decisions.withVerdict(Verdict.FORWARD);
            BDD anyService = space.none();
            List<BDD> services = new ArrayList<>();
            for (Service s : model.services().values()) {
                BDD packets = spaces.services(s.entries());
                services.add(packets);
                anyService = anyService.or(packets);
            }
            List<Endpoints> endpoints = endpoints(groups, family, spaces);
            for (Endpoints from : endpoints) {
                for (Endpoints to : endpoints) {
                    BDD pair = from.sources().and(to.destinations());
                    List<String> all = new ArrayList<>();
                    List<String> some = new ArrayList<>();
                    List<Redirected> redirected = new ArrayList<>();
                    int i = 0;
                    for (Service s : model.services().values()) {
                        BDD packets = pair.and(services.get(i++));
                        switch (reach(packets, forwarded)) {
                            case ALL -> all.add(s.name());
                            case SOME -> some.add(s.name());
                            case NONE -> { }
                        }
                        redirected.addAll(redirected(s.name(), packets, decisions));
                        packets.free();
                    }
                    BDD other = pair.and(anyService.not());
                    redirected.addAll(redirected(OTHER_TRAFFIC, other, decisions));
                    cells.add(new Cell(from.name(), to.name(), all, some, redirected, reach(other, forwarded)));
                    other.free();
                    pair.free();
                }
            }
            endpoints.forEach(e -> {
                e.sources().free();
                e.destinations().free();
            });
        }
        return cells;
    }

    /** Every group of the family, then the addresses in none of them. */
    private static List<Endpoints> endpoints(List<Group> groups, IpFamily family, MatchSpaces spaces) {
        HeaderSpace space = spaces.space();
        List<Endpoints> endpoints = new ArrayList<>();
        BDD anySource = space.none();
        BDD anyDestination = space.none();
        for (Group g : groups) {
            BDD src = spaces.prefixes(g.members(family), space::sourcePrefix);
            BDD dst = spaces.prefixes(g.members(family), space::destinationPrefix);
            anySource.orWith(src.id());
            anyDestination.orWith(dst.id());
            endpoints.add(new Endpoints(g.name(), src, dst));
        }
        BDD outsideSource = anySource.not();
        BDD outsideDestination = anyDestination.not();
        anySource.free();
        anyDestination.free();
        if (!outsideSource.isZero()) {
            endpoints.add(new Endpoints(OUTSIDE, outsideSource, outsideDestination));
        }
        return endpoints;
    }

    private static List<Redirected> redirected(String service, BDD packets, DecisionModel decisions) {
        List<Redirected> result = new ArrayList<>();
        for (Map.Entry<Verdict, BDD> v : decisions.verdicts().entrySet()) {
            Optional<String> target = v.getKey().redirectTarget();
            if (target.isPresent()) {
                switch (reach(packets, v.getValue())) {
                    case ALL -> result.add(new Redirected(service, target.get(), true));
                    case SOME -> result.add(new Redirected(service, target.get(), false));
                    case NONE -> { }
                }
            }
        }
        return result;
    }

    private static Reach reach(BDD packets, BDD forwarded) {
        if (packets.isZero()) {
            return Reach.NONE;
        }
        BDD allowed = packets.and(forwarded);
        Reach reach = allowed.isZero() ? Reach.NONE : packets.imp(forwarded).isOne() ? Reach.ALL : Reach.SOME;
        allowed.free();
        return reach;
    }
}
