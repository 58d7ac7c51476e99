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
import java.util.Optional;

/**
 * Which groups reach which, on which services, through one device's traffic-policy: for every
 * pair of groups, the services forwarded for every packet, those forwarded for some, and what
 * happens to all other traffic between them.
 */
public final class ReachabilityMatrix {
    private ReachabilityMatrix() {
    }

    /** How much of a set of packets the policy forwards. */
    public enum Reach {
        ALL, SOME, NONE;

        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public record Cell(String source, String destination, List<String> services, List<String> partly, Reach otherTraffic) {
        public Cell {
            services = List.copyOf(services);
            partly = List.copyOf(partly);
        }
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
            for (Group from : groups) {
                BDD src = spaces.prefixes(from.members(family), space::sourcePrefix);
                for (Group to : groups) {
                    BDD pair = src.and(spaces.prefixes(to.members(family), space::destinationPrefix));
                    List<String> all = new ArrayList<>();
                    List<String> some = new ArrayList<>();
                    int i = 0;
                    for (Service s : model.services().values()) {
                        BDD packets = pair.and(services.get(i++));
                        switch (reach(packets, forwarded)) {
                            case ALL -> all.add(s.name());
                            case SOME -> some.add(s.name());
                            case NONE -> { }
                        }
                        packets.free();
                    }
                    BDD other = pair.and(anyService.not());
                    cells.add(new Cell(from.name(), to.name(), all, some, reach(other, forwarded)));
                    other.free();
                    pair.free();
                }
                src.free();
            }
        }
        return cells;
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
