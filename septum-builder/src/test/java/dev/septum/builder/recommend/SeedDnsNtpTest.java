package dev.septum.builder.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import dev.septum.flows.IpAddr;
import dev.septum.flows.session.DirectionEvidence;
import dev.septum.flows.session.EndReason;
import dev.septum.flows.session.Endpoint;
import dev.septum.flows.session.SessionRow;
import dev.septum.flows.session.SessionState;
import dev.septum.flows.store.FlowStore;
import dev.septum.flows.store.SessionQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's first stage: a monitor rule mirrors the wifi clients' DNS and NTP to the monitor node,
 * the sessions land in a real flow store, and recommending with the two categories gives the two
 * rules the seed's Policy Builder gave, with their evidence, proven on the policy.
 */
class SeedDnsNtpTest {
    static final Path SEED = Path.of("..", "examples", "seed-lab-dns-ntp");
    /** The stage before the builder: one rule that forwards and mirrors DNS and NTP to the vZTX. */
    static final Path MONITOR_STAGE = SEED.resolve("monitor-stage").resolve("policies.yaml");

    @TempDir
    Path data;

    static Map<String, String> monitorStage() throws IOException {
        Map<String, String> files = new TreeMap<>();
        for (String f : List.of("inventory.yaml", "objects.yaml")) {
            files.put(f, Files.readString(SEED.resolve(f)));
        }
        files.put("policies.yaml", Files.readString(MONITOR_STAGE));
        return files;
    }

    static SessionRow session(int protocol, String client, int clientPort, String server, int serverPort, int clientFlags,
                              int serverFlags, long serverPackets, DirectionEvidence evidence, long first) {
        return new SessionRow(0, protocol, new Endpoint(IpAddr.parse(client), clientPort), new Endpoint(IpAddr.parse(server), serverPort),
                1, 76, clientFlags, serverPackets, serverPackets * 120, serverFlags, SessionState.COMPLETE, first, first + 20, evidence, 2,
                EndReason.IDLE_TIMEOUT);
    }

    /** Five wifi clients asking both servers for names and time, a scanner, a refused connection; stored and read back. */
    List<SessionRow> collected() throws Exception {
        List<SessionRow> rows = new ArrayList<>();
        long t = 1_700_000_000_000L;
        for (int c = 21; c <= 25; c++) {
            for (String server : List.of("10.100.1.6", "10.100.1.7")) {
                rows.add(session(17, "172.18.6." + c, 40000 + c, server, 53, 0, 0, 1, DirectionEvidence.PORTS, t += 1000));
                rows.add(session(17, "172.18.6." + c, 41000 + c, server, 53, 0, 0, 1, DirectionEvidence.PORTS, t += 1000));
                rows.add(session(17, "172.18.6." + c, 123, server, 123, 0, 0, 1, DirectionEvidence.FIRST_SEEN, t += 1000));
            }
        }
        for (int port = 20; port < 40; port++) { // a SYN scan answered by resets
            rows.add(session(6, "172.18.6.66", 50000, "10.100.1.6", port, 0x02, 0x14, 1, DirectionEvidence.TCP_FLAGS, t += 10));
        }
        rows.add(session(6, "172.18.6.21", 50001, "10.100.1.7", 8080, 0x02, 0x14, 1, DirectionEvidence.TCP_FLAGS, t += 10));
        FlowStore store = new FlowStore(data);
        store.initialise();
        store.write(rows, List.of(), t, 0);
        return store.query(SessionQuery.ALL);
    }

    static RecommendRequest request(RecommendRequest.Selection selection, RecommendRequest.Placement placement, double budget) {
        return new RecommendRequest(List.of("zone", "role"), List.of(), budget, RecommendRequest.DEFAULT_MIN_PRECISION,
                RecommendRequest.DEFAULT_PORT_SLACK, selection, placement, Optional.empty());
    }

    @Test
    void theMonitoredSessionsWithTwoCategoriesBecomeTheSeedsTwoRules() throws Exception {
        Map<String, String> policy = monitorStage();
        Recommendation r = Recommender.recommend(policy, "seed", collected(),
                request(new RecommendRequest.Selection.ByMonitor("andreas-vztx"), new RecommendRequest.Placement.Into("dns_ntp_services"), 0));

        assertThat(r.rules()).hasSize(2);
        assertThat(r.rules()).extracting(Recommendation.ProposedRule::services)
                .containsExactlyInAnyOrder(List.of("DNS"), List.of("NTP"));
        assertThat(r.rules()).allSatisfy(rule -> {
            assertThat(rule.sources()).containsExactly("wifi_clients");
            assertThat(rule.destinations()).containsExactly("DNS_NTP_servers");
            assertThat(rule.precision()).isEqualTo(1.0);
            assertThat(rule.overPermission()).isZero();
            assertThat(rule.commonService()).isTrue();
        });
        assertThat(r.rules().stream().filter(x -> x.services().equals(List.of("DNS"))).findFirst().orElseThrow().sessions()).isEqualTo(20);
        assertThat(r.newGroups()).isEmpty();
        assertThat(r.newServices()).isEmpty();
        assertThat(r.totals().evidence()).isEqualTo(30);
        assertThat(r.totals().outsideSelection()).isEqualTo(21); // the scan and the refused connection hit no monitored rule
        assertThat(r.guarantees().hold()).as(r.guarantees().problems().toString()).isTrue();
        assertThat(r.guarantees().replayAllowed()).isEqualTo(30);
        assertThat(r.placement().before()).isEqualTo("monitor-dns-ntp");

        // copied into the policy directory, the files validate with no error and compile
        Map<String, String> combined = new TreeMap<>(policy);
        combined.putAll(r.files());
        PolicyBuild built = PolicyBuild.of(PolicySource.files("seed with the proposal", combined));
        assertThat(built.errors()).isEmpty();
        assertThat(built.model().policies().get("dns_ntp_services").rules()).extracting(x -> x.name())
                .endsWith("monitor-dns-ntp").hasSize(3);
        // the field report's measure: "24 lines added to the config" for its two rules, counted without the '!' separators
        assertThat(r.totals().commandLinesAdded()).isLessThanOrEqualTo(24);
        assertThat(r.totals().configLinesAdded()).isGreaterThan(r.totals().commandLinesAdded());
    }

    @Test
    void everySessionAsEvidenceReportsTheScanAndTheRefusedConnectionAndNeverAllowsThem() throws Exception {
        Recommendation r = Recommender.recommend(monitorStage(), "seed", collected(),
                request(new RecommendRequest.Selection.All(), new RecommendRequest.Placement.NewPolicy("recommended"), 0));
        assertThat(r.totals().failedAttempts()).isEqualTo(21);
        assertThat(r.probes()).extracting(Recommendation.Probe::kind).contains("scan", "failed");
        assertThat(r.probes()).filteredOn(p -> p.kind().equals("scan")).singleElement()
                .satisfies(p -> assertThat(p.client()).isEqualTo("172.18.6.66"));
        assertThat(r.rules()).allSatisfy(rule -> assertThat(rule.ports()).doesNotContain("tcp"));
        assertThat(r.guarantees().hold()).as(r.guarantees().problems().toString()).isTrue();
        assertThat(r.placement().newPolicy()).isTrue();
        assertThat(r.placement().priority()).isLessThan(1000);
    }

    @Test
    void withoutCategoriesEveryClientStaysExact() throws Exception {
        RecommendRequest exact = new RecommendRequest(List.of(), List.of(), 0, 0.5, 16,
                new RecommendRequest.Selection.ByMonitor("andreas-vztx"), new RecommendRequest.Placement.NewPolicy("recommended"),
                Optional.empty());
        Recommendation r = Recommender.recommend(monitorStage(), "seed", collected(), exact);
        // 5 clients x 2 servers, compacted per service: one rule per service, listing the host groups
        assertThat(r.newGroups()).hasSize(7).allSatisfy(g -> assertThat(g).startsWith("host-"));
        assertThat(r.totals().overPermission()).isZero();
        assertThat(r.guarantees().hold()).as(r.guarantees().problems().toString()).isTrue();
    }

    @Test
    void anUnknownCategoryOrMonitorIsRefusedWithWhatExists() throws Exception {
        RecommendRequest bad = new RecommendRequest(List.of("tier"), List.of(), 0, 0.5, 16, new RecommendRequest.Selection.All(),
                new RecommendRequest.Placement.NewPolicy("x"), Optional.empty());
        assertThatThrownBy(() -> Recommender.recommend(monitorStage(), "seed", List.of(), bad))
                .isInstanceOf(RecommendRefused.class).hasMessageContaining("'tier'").hasMessageContaining("role, zone");
        assertThatThrownBy(() -> Recommender.recommend(monitorStage(), "seed", List.of(),
                request(new RecommendRequest.Selection.ByMonitor("nosuch"), new RecommendRequest.Placement.NewPolicy("x"), 0)))
                .isInstanceOf(RecommendRefused.class).hasMessageContaining("andreas-vztx");
    }
}
