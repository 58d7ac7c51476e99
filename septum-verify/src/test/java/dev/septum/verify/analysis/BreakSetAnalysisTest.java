package dev.septum.verify.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.verify.Flow;
import dev.septum.verify.FlowTracer;
import dev.septum.verify.Verdict;
import dev.septum.verify.analysis.Analysis.Table;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The break-set against an independent oracle: every session walked packet by packet through both
 * versions on every device ({@link FlowTracer}, no BDDs), on a stateless EOS switch (requests and
 * replies) and a stateful nftables router (requests only).
 */
class BreakSetAnalysisTest {
    private static final String WORLD = """
            domains: [{name: d, devices: [sw, fw], vrfs: [ALL]}]
            devices: [{name: sw, platform: eos}, {name: fw, platform: nftables}]
            groups: [{name: clients, prefixes: [10.1.0.0/24]}, {name: web, prefixes: [10.2.0.0/24]}]
            services:
              - {name: HTTP, protocol: tcp, destination: www}
              - {name: SSH, protocol: tcp, destination: ssh}
              - {name: ALT, protocol: tcp, destination: 8080}
            policies:
              - name: p
                domain: d
                rules:
            """;
    private static final String BEFORE = """
                  - {name: ssh, sources: [clients], destinations: [web], services: [SSH], direction: bi, action: forward}
                  - {name: http, sources: [clients], destinations: [web], services: [HTTP], direction: bi, action: forward}
                  - {name: rest, sources: [clients], destinations: [web], action: drop, direction: bi}
            """;
    private static final String AFTER = """
                  - {name: ssh, sources: [clients], destinations: [web], services: [SSH], direction: bi, action: forward}
                  - {name: alt, sources: [clients], destinations: [web], services: [ALT], direction: bi, action: forward}
                  - {name: rest, sources: [clients], destinations: [web], action: drop, direction: bi}
            """;
    private static final long T0 = 1_780_000_000_000L;

    private static PolicyBuild build(String rules) {
        PolicyBuild build = PolicyBuild.of(PolicySource.files("p.yaml", Map.of("p.yaml", WORLD + rules)));
        assertThat(build.errors()).isEmpty();
        return build;
    }

    private static IPAddress ip(String text) {
        return new IPAddressString(text).getAddress();
    }

    private static ObservedSession tcp(String client, int clientPort, String server, int serverPort, long at) {
        return new ObservedSession(ip(client), clientPort, ip(server), serverPort, 6, at, at + 1000, 10, 1000);
    }

    @Test
    void namesTheSessionsAChangeBlocksAndAllowsGroupedWithCountsAndTimes() {
        List<ObservedSession> sessions = List.of(
                tcp("10.1.0.5", 50000, "10.2.0.7", 80, T0),
                tcp("10.1.0.6", 50001, "10.2.0.7", 80, T0 + 5000),
                tcp("10.1.0.5", 50002, "10.2.0.7", 22, T0),
                tcp("10.1.0.5", 50003, "10.2.0.8", 8080, T0 + 7000),
                tcp("10.3.0.1", 50004, "10.2.0.7", 80, T0),
                new ObservedSession(ip("10.1.0.5"), 0, ip("10.2.0.7"), 0, 1, T0, T0, 2, 168));

        Analysis a = BreakSetAnalysis.of(build(BEFORE), "v1", build(AFTER), "v2",
                new BreakSetAnalysis.Observed(sessions, "test window", false));

        Table t = a.table("breaks");
        Map<String, Object> blockedOnFw = row(t, "VRF ALL on fw", "newly blocked", "client to server");
        assertThat(blockedOnFw).containsEntry("sessions", 2L).containsEntry("service", "HTTP")
                .containsEntry("clientGroups", List.of("clients")).containsEntry("serverGroups", List.of("web"))
                .containsEntry("packets", 20L).containsEntry("firstSeen", java.time.Instant.ofEpochMilli(T0).toString())
                .containsEntry("lastSeen", java.time.Instant.ofEpochMilli(T0 + 6000).toString())
                .containsEntry("decidedBefore", "http").containsEntry("decidedAfter", "rest");
        assertThat(row(t, "VRF ALL on fw", "newly allowed", "client to server")).containsEntry("sessions", 1L)
                .containsEntry("service", "ALT");
        // the stateless switch also decides the replies: web's answers on port 80 now meet rest-reverse
        assertThat(row(t, "VRF ALL on sw", "newly blocked", "server to client")).containsEntry("sessions", 2L);
        assertThat(a.notes().getFirst().text()).startsWith("3 of 6 observed sessions change verdict (test window)");
    }

    @Test
    void aFoldedClientPortOrAnIcmpSessionIsEveryPacketItCouldBe() {
        String before = "      - {name: echo, sources: [clients], destinations: [web], services: [PING], action: forward}\n"
                + "      - {name: rest, sources: [clients], destinations: [web], action: drop}\n";
        String world = WORLD.replace("services:\n", "services:\n  - {name: PING, protocol: icmp, icmp-type: echo-request}\n");
        PolicyBuild a = PolicyBuild.of(PolicySource.files("p.yaml", Map.of("p.yaml", world + before)));
        PolicyBuild b = PolicyBuild.of(PolicySource.files("p.yaml", Map.of("p.yaml", world + before.lines().skip(1).map(l -> l + "\n")
                .reduce("", String::concat))));
        assertThat(a.errors()).isEmpty();
        assertThat(b.errors()).isEmpty();
        ObservedSession icmp = new ObservedSession(ip("10.1.0.5"), 0, ip("10.2.0.7"), 0, 1, T0, T0, 2, 168);

        Table t = BreakSetAnalysis.of(a, "a", b, "b", new BreakSetAnalysis.Observed(List.of(icmp), "w", false)).table("breaks");

        // only the echo requests change: the session's ICMP type is unknown, so it breaks in part
        assertThat(row(t, "VRF ALL on fw", "newly blocked", "client to server")).containsEntry("sessions", 1L)
                .containsEntry("inPart", 1L);
    }

    @Test
    void agreesWithTracingEverySessionThroughBothVersionsOnEveryDevice() {
        PolicyBuild before = build(BEFORE);
        PolicyBuild after = build(AFTER);
        Random random = new Random(16);
        int[] ports = {22, 80, 443, 8080};
        List<ObservedSession> sessions = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String client = (random.nextInt(4) == 0 ? "10.3.0." : "10.1.0.") + (1 + random.nextInt(3));
            String server = (random.nextInt(4) == 0 ? "10.1.0." : "10.2.0.") + (1 + random.nextInt(3));
            int clientPort = random.nextInt(5) == 0 ? ports[random.nextInt(ports.length)] : 40000 + random.nextInt(1000);
            sessions.add(tcp(client, clientPort, server, ports[random.nextInt(ports.length)], T0 + i));
        }

        Table t = BreakSetAnalysis.of(before, "b", after, "a", new BreakSetAnalysis.Observed(sessions, "w", false)).table("breaks");

        Map<String, Long> expected = new HashMap<>();
        for (DevicePlan plan : before.plans()) {
            DevicePlan next = after.plan(plan.name()).orElseThrow();
            boolean stateless = plan.name().equals("sw");
            for (ObservedSession s : sessions) {
                Flow request = new Flow(s.client(), s.server(), 6, s.clientPort(), s.serverPort());
                Flow reply = new Flow(s.server(), s.client(), 6, s.serverPort(), s.clientPort());
                if (!verdict(plan, request).equals(verdict(next, request))) {
                    expected.merge("VRF ALL on " + plan.name() + "/client to server", 1L, Long::sum);
                }
                if (stateless && !verdict(plan, reply).equals(verdict(next, reply))) {
                    expected.merge("VRF ALL on " + plan.name() + "/server to client", 1L, Long::sum);
                }
            }
        }
        Map<String, Long> found = new HashMap<>();
        for (var r : a(t)) {
            found.merge(r.get("enforcedAt") + "/" + r.get("direction"), (Long) r.get("sessions"), Long::sum);
        }
        assertThat(expected).isNotEmpty();
        assertThat(found).isEqualTo(expected);
    }

    private static Verdict verdict(DevicePlan plan, Flow flow) {
        return FlowTracer.trace(plan, "ALL", flow).map(FlowTracer.Trace::verdict).orElse(Verdict.FORWARD);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> a(Table t) {
        Analysis wrapper = new Analysis("x", "x", new java.util.LinkedHashMap<>(), List.of(t), List.of());
        return (List<Map<String, Object>>) ((List<Map<String, Object>>) wrapper.tree().get("tables")).getFirst().get("rows");
    }

    private static Map<String, Object> row(Table t, String enforcedAt, String kind, String direction) {
        return a(t).stream().filter(r -> r.get("enforcedAt").equals(enforcedAt) && r.get("kind").equals(kind)
                && r.get("direction").equals(direction)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + enforcedAt + " " + kind + " " + direction + " in " + a(t)));
    }
}
