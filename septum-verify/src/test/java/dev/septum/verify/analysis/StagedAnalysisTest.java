package dev.septum.verify.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.pipeline.DeviceBuild;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import dev.septum.verify.Finding;
import dev.septum.verify.SemanticDiff;
import inet.ipaddr.IPAddressString;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A staged drop rule: no device enforces it (the verifier proves the verdicts equal the policy
 * without it on the stateless switch and the stateful router), the router counts it without a
 * verdict, the controller reports the sessions it would block, and promoting it blocks exactly those.
 */
class StagedAnalysisTest {
    private static final String WORLD = """
            domains: [{name: d, devices: [sw, fw], vrfs: [ALL]}]
            devices:
              - {name: sw, platform: eos}
              - {name: fw, platform: %s}
            %s
            groups: [{name: clients, prefixes: [10.1.0.0/24]}, {name: web, prefixes: [10.2.0.0/24]}]
            services:
              - {name: HTTP, protocol: tcp, destination: www}
              - {name: SSH, protocol: tcp, destination: ssh}
            policies:
              - name: p
                domain: d
                rules:
                  - {name: ssh, sources: [clients], destinations: [web], services: [SSH], direction: bi, action: forward}
                  - {name: block-http, sources: [clients], destinations: [web], services: [HTTP], action: drop, mode: staged}
            """;
    private static final String MONITOR = "  - {name: mon, platform: nftables, role: monitor, loopback: 10.255.0.9}";

    private static PolicyBuild build(String monitor) {
        return build("nftables", monitor);
    }

    private static PolicyBuild build(String fwPlatform, String monitor) {
        PolicyBuild build = PolicyBuild.of(PolicySource.files("p.yaml", Map.of("p.yaml", WORLD.formatted(fwPlatform, monitor))));
        assertThat(build.errors()).isEmpty();
        return build;
    }

    private static ObservedSession tcp(String client, int clientPort, String server, int serverPort) {
        return new ObservedSession(new IPAddressString(client).getAddress(), clientPort, new IPAddressString(server).getAddress(),
                serverPort, 6, 1_780_000_000_000L, 1_780_000_001_000L, 12, 3400);
    }

    @Test
    void stagingEnforcesNothingOnAnyDeviceAndSaysSo() {
        PolicyBuild staged = build(MONITOR);

        assertThat(SemanticDiff.compare(StagedRules.withoutStaged(staged), staged)).isEmpty();
        assertThat(rendered(staged, "sw").config()).doesNotContain("block-http");
        assertThat(rendered(staged, "fw").config().lines().filter(l -> l.contains("counter name c_block-http")))
                .singleElement().satisfies(l -> assertThat(l).endsWith("counter name c_block-http comment \"staged\""));
        List<Finding> findings = StagedFindings.find(staged);
        assertThat(findings).extracting(Finding::kind).containsExactly("staged");
        assertThat(findings.getFirst().message()).contains("no device enforces it (proved on 2 enforcing device(s)")
                .contains("evaluated by controller, on the monitor node's sessions; counters on nftables device(s) fw");
    }

    @Test
    void aStagedRuleNothingEvaluatesIsAnError() {
        List<Finding> findings = StagedFindings.find(build("eos", ""));

        assertThat(findings).extracting(f -> f.level() + " " + f.kind() + " " + f.subject())
                .containsExactly("ERROR staged-unevaluated block-http");
    }

    @Test
    void anNftablesDeviceCountingTheStagedRuleEvaluatesIt() {
        PolicyBuild staged = build("");

        assertThat(rendered(staged, "fw").counterNames()).contains("c_block-http");
        assertThat(StagedFindings.find(staged)).singleElement().satisfies(f -> {
            assertThat(f.level() + " " + f.kind()).isEqualTo("INFO staged");
            assertThat(f.message()).contains("evaluated by counters on nftables device(s) fw");
        });
    }

    /** Devices that enforce the staged rule (as a planner that forgot the flag would build them) fail the proof. */
    @Test
    void devicesThatEnforceTheStagedRuleAreCaught() {
        PolicyBuild staged = build(MONITOR);
        PolicyBuild promoted = StagedRules.promoted(staged, StagedRules.of(staged.model()).getFirst());
        PolicyBuild broken = new PolicyBuild(staged.source(), staged.loaded(), staged.resolution(), staged.model(),
                promoted.devices(), staged.diagnostics());

        assertThat(StagedFindings.find(broken)).extracting(f -> f.level() + " " + f.kind())
                .contains("ERROR staged-enforces").doesNotContain("INFO staged");
    }

    @Test
    void theReportNamesTheSessionsTheRuleWouldBlockAndPromotingBlocksExactlyThose() {
        PolicyBuild staged = build(MONITOR);
        List<ObservedSession> sessions = List.of(tcp("10.1.0.5", 50000, "10.2.0.7", 80), tcp("10.1.0.6", 50001, "10.2.0.7", 80),
                tcp("10.1.0.5", 50002, "10.2.0.7", 22), tcp("10.9.0.1", 50003, "10.2.0.7", 80));
        BreakSetAnalysis.Observed observed = new BreakSetAnalysis.Observed(sessions, "test", false);

        Analysis report = StagedAnalysis.of(staged, "p", observed, RuleCounters.none());

        Map<String, Object> row = rows(report).getFirst();
        assertThat(row).containsEntry("rule", "block-http").containsEntry("action", "drop").containsEntry("sessions", 2L)
                .containsEntry("packets", 24L).containsEntry("changed", 2L)
                .containsEntry("evaluatedBy", "controller, on the monitor node's sessions; counters on nftables device(s) fw");
        assertThat(row.get("examples").toString()).contains("10.1.0.5:50000 -> 10.2.0.7:80 tcp", "10.1.0.6:50001 -> 10.2.0.7:80 tcp");
        PolicyBuild promoted = StagedRules.promoted(staged, StagedRules.of(staged.model()).getFirst());
        Analysis breaks = BreakSetAnalysis.of(staged, "staged", promoted, "promoted", observed);
        assertThat(rows(breaks)).allSatisfy(r -> assertThat(r).containsEntry("kind", "newly blocked").containsEntry("service", "HTTP")
                .containsEntry("clientGroups", List.of("clients")));
        assertThat(breaks.notes().getFirst().text()).startsWith("2 of 4 observed sessions change verdict");
    }

    private static DeviceBuild.Rendered rendered(PolicyBuild build, String device) {
        return (DeviceBuild.Rendered) build.device(device).orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(Analysis a) {
        return (List<Map<String, Object>>) ((List<Map<String, Object>>) a.tree().get("tables")).getFirst().get("rows");
    }
}
