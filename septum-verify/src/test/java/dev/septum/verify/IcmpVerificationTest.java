package dev.septum.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import inet.ipaddr.IPAddressString;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ICMP type and code are packet fields: trace, check and diff tell echo requests from other ICMP. */
class IcmpVerificationTest {
    private static final String POLICY = """
            domains: [{name: d, devices: [sw], vrfs: [ALL]}]
            devices: [{name: sw, platform: eos}]
            groups: [{name: clients, prefixes: [10.1.0.0/24]}, {name: servers, prefixes: [10.2.0.0/24]}]
            services:
              - {name: ping, protocol: icmp, icmp-type: echo-request}
              - {name: frag-needed, protocol: icmp, icmp-type: destination-unreachable, icmp-code: frag-needed}
              - {name: any-icmp, protocol: icmp}
            policies:
              - name: p
                domain: d
                rules:
                  - {name: ping-servers, sources: [clients], destinations: [servers], services: [ping], direction: bi, action: forward}
                  - {name: pmtu, services: [frag-needed], action: forward}
                  - {name: no-icmp, destinations: [servers], services: [any-icmp], action: drop}
            """;

    private static PolicyBuild model(String yaml) {
        PolicyBuild build = PolicyBuild.of(PolicySource.files("p.yaml", Map.of("p.yaml", yaml)));
        assertThat(build.errors()).isEmpty();
        return build;
    }

    private static FlowTracer.Trace trace(String src, String dst, int type, int code) {
        DevicePlan plan = model(POLICY).plan("sw").orElseThrow();
        Flow flow = new Flow(new IPAddressString(src).getAddress(), new IPAddressString(dst).getAddress(), 1, 0, 0, type, code);
        return FlowTracer.trace(plan, "ALL", flow).orElseThrow();
    }

    @Test
    void traceDecidesByTypeAndCode() {
        assertThat(trace("10.1.0.5", "10.2.0.5", 8, 0).decidingMatch()).isEqualTo("ping-servers");
        assertThat(trace("10.2.0.5", "10.1.0.5", 0, 0).decidingMatch()).as("the echo reply, on a stateless switch")
                .isEqualTo("ping-servers-reverse");
        assertThat(trace("10.3.0.5", "10.2.0.5", 3, 4).decidingMatch()).isEqualTo("pmtu");
        FlowTracer.Trace unreachable = trace("10.3.0.5", "10.2.0.5", 3, 1);
        assertThat(unreachable.decidingMatch()).isEqualTo("no-icmp");
        assertThat(unreachable.misses()).extracting(FlowTracer.Miss::reason).contains(
                "icmp destination-unreachable code 1 is not in service frag-needed (icmp destination-unreachable code 4)");
        assertThat(unreachable.flow()).hasToString("10.3.0.5 -> 10.2.0.5 icmp destination-unreachable code 1");
    }

    @Test
    void checkSeesThatTheTypedRulesDecideOnlyPartOfTheCatchAll() {
        List<Finding> findings = PolicyChecker.check(model(POLICY));

        assertThat(findings).noneMatch(f -> f.kind().equals("shadowed"));
        assertThat(findings).filteredOn(f -> f.kind().equals("redundant") && f.subject().contains(" ipv4 ")).extracting(Finding::subject)
                .as("the echo replies to clients would pass by default; nothing after ping-servers drops its requests")
                .containsExactly("match ping-servers-reverse ipv4 (rule ping-servers)");
        assertThat(findings).filteredOn(f -> f.kind().equals("overlap")).singleElement().satisfies(f -> {
            assertThat(f.subject()).startsWith("match no-icmp ipv4");
            assertThat(f.example().orElseThrow().icmpType()).isIn(0, 3, 8);
        });
    }

    @Test
    void diffTellsOneTypeFromAnother() {
        PolicyBuild pingOnly = model(POLICY);
        PolicyBuild alsoTimestamps = model(POLICY.replace("icmp-type: echo-request", "icmp-type: timestamp-request"));

        List<SemanticDiff.Change> changes = SemanticDiff.compare(pingOnly, alsoTimestamps);

        assertThat(changes).extracting(SemanticDiff.Change::summary).anySatisfy(s ->
                assertThat(s).startsWith("newly blocked: clients -> servers, ping, e.g. 10.1.0.1 -> 10.2.0.1 icmp echo-request code 0"));
        assertThat(changes).extracting(SemanticDiff.Change::summary).anySatisfy(s ->
                assertThat(s).startsWith("newly allowed: clients -> servers, ping, e.g. 10.1.0.1 -> 10.2.0.1 icmp timestamp-request code 0"));
    }
}
