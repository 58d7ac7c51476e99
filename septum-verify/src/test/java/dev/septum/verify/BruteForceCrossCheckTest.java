package dev.septum.verify;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import java.util.Map;
import dev.septum.compile.plan.Semantics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.DevicePlanner;
import dev.septum.compile.plan.MatchEntry;
import dev.septum.compile.plan.TrafficPolicyPlan;
import dev.septum.model.IpFamily;
import dev.septum.model.load.LoadedPolicy;
import dev.septum.model.load.PolicyLoader;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exact analysis against a brute-force evaluator on random small policies. Every packet
 * class is represented (see {@link RandomPolicies}), so agreement on all of them means agreement
 * on the whole IPv4 header space. Rerun one case with {@code -Dseptum.seed=N}.
 */
class BruteForceCrossCheckTest {
    static LongStream seeds() {
        String fixed = System.getProperty("septum.seed");
        return fixed != null ? LongStream.of(Long.parseLong(fixed)) : LongStream.range(1, 41);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void bddVerdictsShadowingAndRedundancyMatchBruteForce(long seed) {
        String yaml = RandomPolicies.yaml(seed);
        PolicyBuild build = PolicyBuild.of(PolicySource.files("random-" + seed, Map.of("random-" + seed + ".yaml", yaml)));
        assertThat(build.errors()).as(yaml).isEmpty();
        DevicePlan plan = build.plan("sw").orElseThrow();
        TrafficPolicyPlan tp = plan.trafficPolicies().getFirst();
        PlanIndex index = new PlanIndex(plan);
        HeaderSpace space = new HeaderSpace(IpFamily.IPV4);
        DecisionModel bdd = new DecisionModel(tp, new MatchSpaces(space, index), Semantics.STATELESS);
        List<Flow> flows = allFlows();

        Set<String> deciding = new HashSet<>();
        for (Flow flow : flows) {
            FlowTracer.Trace trace = FlowTracer.trace("sw", tp, index, Semantics.STATELESS, flow);
            trace.decidedBy().ifPresent(m -> deciding.add(m.name()));
            assertThat(space.contains(bdd.verdicts().get(trace.verdict()), flow))
                    .as("seed %d: BDD disagrees with the tracer on %s (%s)%n%s", seed, flow, trace.verdict(), yaml).isTrue();
        }

        List<Finding> findings = PolicyChecker.check(build);
        for (MatchEntry m : tp.matches().stream().filter(m -> m.family() == IpFamily.IPV4).toList()) {
            boolean covers = flows.stream().anyMatch(f -> FlowTracer.whyNot(m, index, Semantics.STATELESS, f).isEmpty());
            boolean shadowed = covers && !deciding.contains(m.name());
            assertThat(reported(findings, "shadowed", m)).as("seed %d: shadowed %s%n%s", seed, m.name(), yaml).isEqualTo(shadowed);
            boolean redundant = covers && deciding.contains(m.name()) && removingChangesNothing(tp, index, m, flows);
            assertThat(reported(findings, "redundant", m)).as("seed %d: redundant %s%n%s", seed, m.name(), yaml).isEqualTo(redundant);
        }
    }

    private static boolean removingChangesNothing(TrafficPolicyPlan tp, PlanIndex index, MatchEntry removed, List<Flow> flows) {
        List<MatchEntry> rest = tp.matches().stream().filter(m -> m != removed).toList();
        TrafficPolicyPlan without = new TrafficPolicyPlan(tp.name(), tp.vrf(), tp.description(), tp.policyId(), tp.policies(), rest);
        return flows.stream().allMatch(f -> FlowTracer.trace("sw", tp, index, Semantics.STATELESS, f).verdict()
                .equals(FlowTracer.trace("sw", without, index, Semantics.STATELESS, f).verdict()));
    }

    private static boolean reported(List<Finding> findings, String kind, MatchEntry m) {
        return findings.stream().anyMatch(f -> f.kind().equals(kind) && f.subject().startsWith("match " + m.name() + " "));
    }

    static List<Flow> allFlows() {
        List<Flow> flows = new ArrayList<>();
        for (String s : RandomPolicies.ADDRESSES) {
            for (String d : RandomPolicies.ADDRESSES) {
                IPAddress src = new IPAddressString(s).getAddress();
                IPAddress dst = new IPAddressString(d).getAddress();
                for (int protocol : RandomPolicies.PROTOCOLS) {
                    if (protocol == 6 || protocol == 17) {
                        for (int sp : RandomPolicies.PORTS) {
                            for (int dp : RandomPolicies.PORTS) {
                                flows.add(new Flow(src, dst, protocol, sp, dp));
                            }
                        }
                    } else if (protocol == 1) {
                        for (int type : RandomPolicies.ICMP_TYPES) {
                            for (int code : RandomPolicies.ICMP_CODES) {
                                flows.add(new Flow(src, dst, protocol, 0, 0, type, code));
                            }
                        }
                    } else {
                        flows.add(new Flow(src, dst, protocol, 0, 0, 0, 0));
                    }
                }
            }
        }
        return flows;
    }
}
