package dev.septum.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.plan.DevicePlanner;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import dev.septum.model.load.LoadedPolicy;
import dev.septum.model.load.PolicyLoader;
import inet.ipaddr.IPAddressString;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The verification engine on the seed's own lab, answering the seed engineer's questions. */
class SeedLabVerificationTest {
    private static final PolicyBuild DNS_NTP_STAGE = load("seed-lab-dns-ntp");
    private static final PolicyBuild FINAL = load("seed-lab");

    @Test
    void traceExplainsWhyWeb01CannotSshToWeb02OnTheSwitch() {
        FlowTracer.Trace trace = trace(FINAL, "10.100.99.51", "10.100.99.52", 6, 22);

        assertThat(trace.verdict()).isEqualTo(Verdict.DROP);
        assertThat(trace.decidingMatch()).isEqualTo("drop_all_else_web-app");
        assertThat(trace.misses()).hasSize(12);
        assertThat(trace.misses()).anySatisfy(m -> {
            assertThat(m.match().name()).isEqualTo("ssh_to_web-app_servers");
            assertThat(m.reason()).isEqualTo("source 10.100.99.51 is not in wifi_clients");
        });
        assertThat(trace.misses()).anySatisfy(m -> {
            assertThat(m.match().name()).isEqualTo("drop_http_between_webservers");
            assertThat(m.reason()).startsWith("tcp 49152 -> 22 is not in service HTTP");
        });
    }

    /** The seed engineer's test matrix, as verdicts before (DNS/NTP stage) and after (final policy). */
    @ParameterizedTest(name = "{0} -> {1} {2}/{3}: {4} then {5}")
    @CsvSource({
        "172.18.6.20, 10.100.99.51, 6, 22, forward, forward",   // SSH from a wifi client to web01
        "172.18.6.20, 10.100.99.50, 6, 22, forward, forward",   // ... and to appserver1
        "172.18.100.5, 10.100.99.51, 6, 22, forward, drop",     // SSH from the management subnet
        "172.18.6.20, 10.100.99.52, 6, 80, forward, forward",   // HTTP from a client to web02
        "172.18.6.20, 10.100.99.50, 6, 4567, forward, drop",    // a client to appserver1:4567
        "10.100.99.51, 10.100.99.50, 6, 4567, forward, forward", // web01 to appserver1:4567
        "10.100.99.50, 203.0.113.10, 6, 443, forward, drop",    // a server to the internet
        "10.100.99.51, 10.100.1.6, 17, 53, forward, forward",   // DNS from a server
        "10.100.99.52, 10.100.1.7, 17, 123, forward, forward",  // NTP from a server
        "10.100.99.51, 10.100.99.52, 6, 22, forward, drop",     // web01 to web02 SSH
        "10.100.99.52, 10.100.99.51, 6, 80, forward, drop",     // web02 to web01 HTTP
    })
    void theSeedsTestsGetTheVerdictsTheSeedObserved(String src, String dst, int protocol, int port,
                                                    String before, String after) {
        assertThat(trace(DNS_NTP_STAGE, src, dst, protocol, port).verdict().keyword()).isEqualTo(before);
        assertThat(trace(FINAL, src, dst, protocol, port).verdict().keyword()).isEqualTo(after);
    }

    @Test
    void checkReportsTheStatelessReverseExposuresAndNoShadowing() {
        List<Finding> findings = PolicyChecker.check(FINAL);

        assertThat(findings).noneMatch(f -> f.kind().equals("shadowed") || f.level() == Level.ERROR);
        assertThat(findings.stream().filter(f -> f.kind().equals("stateless-reverse")).map(Finding::subject))
                .containsExactly("match allow_all_NTP-reverse ipv4 (rule allow_all_NTP)",
                        "match allow_all_DNS-reverse ipv4 (rule allow_all_DNS)",
                        "match clients_to_webservers-reverse ipv4 (rule clients_to_webservers)",
                        "match ssh_to_web-app_servers-reverse ipv4 (rule ssh_to_web-app_servers)",
                        "match web-to-appserver1-reverse ipv4 (rule web-to-appserver1)");
        Finding ssh = findings.stream().filter(f -> f.subject().startsWith("match ssh_to_web-app_servers-reverse")).findFirst().orElseThrow();
        assertThat(ssh.example().orElseThrow().sourcePort()).isEqualTo(22);
        assertThat(ssh.example().orElseThrow().destinationPort()).isLessThan(1024);
        assertThat(findings).anySatisfy(f -> assertThat(f.subject()).isEqualTo("monitor andreas-vztx"));
    }

    @Test
    void checkFlagsARuleShadowedByAnOppositeVerdictAsAnError() {
        PolicyBuild model = PolicyBuild.of(PolicySource.files("p.yaml", java.util.Map.of("p.yaml", """
                domains: [{name: d, devices: [sw], vrfs: [ALL]}]
                devices: [{name: sw, platform: eos}]
                groups: [{name: lan, prefixes: [192.0.2.0/24]}, {name: host, prefixes: [192.0.2.10]}]
                services: [{name: SSH, protocol: tcp, destination: ssh}]
                policies:
                  - name: p
                    domain: d
                    rules:
                      - {name: block-lan, sources: [lan], action: drop}
                      - {name: allow-admin-ssh, sources: [host], services: [SSH], action: forward}
                """)));

        List<Finding> findings = PolicyChecker.check(model);

        assertThat(findings).anySatisfy(f -> {
            assertThat(f.level()).isEqualTo(Level.ERROR);
            assertThat(f.kind()).isEqualTo("shadowed");
            assertThat(f.subject()).startsWith("match allow-admin-ssh ");
            assertThat(f.related()).containsExactly("block-lan");
        });
    }

    @Test
    void diffFromTheDnsNtpStageToTheFinalPolicyListsTheSeedsTestedChanges() {
        List<SemanticDiff.Change> changes = SemanticDiff.compare(DNS_NTP_STAGE, FINAL);

        assertThat(changes).extracting(SemanticDiff.Change::cell).containsExactly(
                "web01_web02 -> web01_web02, HTTP",
                "web01_web02 -> web01_web02, HTTP-reverse",
                "web-appserver1 -> any, all services",
                "any -> web-appserver1, all services");
        assertThat(changes).allSatisfy(c -> {
            assertThat(c.before()).isEqualTo(Verdict.FORWARD);
            assertThat(c.after()).isEqualTo(Verdict.DROP);
        });
        assertThat(changes.get(0).whole()).isTrue();
        assertThat(changes.get(2).keptBy()).contains("allow_all_NTP", "allow_all_DNS", "clients_to_webservers-reverse",
                "ssh_to_web-app_servers-reverse", "web-to-appserver1");
        assertThat(changes.get(3).keptBy()).contains("allow_all_NTP-reverse", "allow_all_DNS-reverse",
                "clients_to_webservers", "ssh_to_web-app_servers", "web-to-appserver1-reverse");
    }

    @Test
    void diffOfAPolicyWithItselfIsEmpty() {
        assertThat(SemanticDiff.compare(FINAL, FINAL)).isEmpty();
    }

    @Test
    void gapsAreReportedForSeparatedHostsOnOneBridgeOnly() {
        DevicePlan sw = FINAL.plan("andreasm-720xp-home").orElseThrow();
        EnforcementGaps.Segment bridge = new EnforcementGaps.Segment("bridge proxmox-02", List.of(
                endpoint("web01", "10.100.99.51", "10.100.99.0/24"), endpoint("web02", "10.100.99.52", "10.100.99.0/24")));
        EnforcementGaps.Segment clients = new EnforcementGaps.Segment("bridge wifi", List.of(
                endpoint("laptop", "172.18.6.138", "172.18.6.0/24"), endpoint("phone", "172.18.6.139", "172.18.6.0/24")));

        List<Finding> gaps = EnforcementGaps.find(sw, List.of(bridge, clients));

        assertThat(gaps).extracting(Finding::subject).containsExactly("web01 -> web02", "web02 -> web01");
        assertThat(gaps.getFirst().related()).containsExactly("drop_all_else_web-app");
        assertThat(gaps.getFirst().message()).contains("port isolation").contains("'bridge' tag");
    }

    @Test
    void reachabilityMatrixShowsWhichGroupsReachWhichOnWhichServices() {
        DevicePlan sw = FINAL.plan("andreasm-720xp-home").orElseThrow();

        List<ReachabilityMatrix.Cell> cells = ReachabilityMatrix.compute(FINAL.model(), sw, "ALL");

        assertThat(cells).as("5 groups and the addresses outside them, both ways").hasSize(36);
        assertThat(cell(cells, "wifi_clients", "web01_web02")).satisfies(c -> {
            assertThat(c.services()).containsExactly("HTTP", "SSH");
            assertThat(c.otherTraffic()).isEqualTo(ReachabilityMatrix.Reach.NONE);
        });
        assertThat(cell(cells, "web01_web02", "appserver1").services()).containsExactly("appserver1-tcp");
        assertThat(cell(cells, "appserver1", "DNS_NTP_servers").services()).containsExactly("DNS", "NTP");
        assertThat(cell(cells, "wifi_clients", "DNS_NTP_servers").otherTraffic()).isEqualTo(ReachabilityMatrix.Reach.ALL);
    }

    private static ReachabilityMatrix.Cell cell(List<ReachabilityMatrix.Cell> cells, String from, String to) {
        return cells.stream().filter(c -> c.source().equals(from) && c.destination().equals(to)).findFirst().orElseThrow();
    }

    static EnforcementGaps.Endpoint endpoint(String name, String address, String subnet) {
        return new EnforcementGaps.Endpoint(name, new IPAddressString(address).getAddress(),
                new IPAddressString(subnet).getAddress());
    }

    private static FlowTracer.Trace trace(PolicyBuild build, String src, String dst, int protocol, int port) {
        DevicePlan plan = build.plan("andreasm-720xp-home").orElseThrow();
        Flow flow = new Flow(new IPAddressString(src).getAddress(), new IPAddressString(dst).getAddress(), protocol, 49152, port);
        return FlowTracer.trace(plan, "ALL", flow).orElseThrow();
    }

    private static PolicyBuild load(String example) {
        PolicyBuild build = PolicyBuild.of(PolicySource.directory(Path.of("..", "examples", example)));
        assertThat(build.diagnostics()).isEmpty();
        return build;
    }
}
