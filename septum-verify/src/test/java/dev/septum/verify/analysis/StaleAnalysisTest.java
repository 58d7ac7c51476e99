package dev.septum.verify.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import dev.septum.verify.SemanticDiff;
import inet.ipaddr.IPAddressString;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rules no observed session hit, with the verifier's word on them, and their removal proposed with an empty break-set. */
class StaleAnalysisTest {
    private static final String POLICY = """
            domains: [{name: d, devices: [sw, fw], vrfs: [ALL]}]
            devices: [{name: sw, platform: eos}, {name: fw, platform: nftables}]
            groups: [{name: clients, prefixes: [10.1.0.0/24]}, {name: web, prefixes: [10.2.0.0/24]}]
            services:
              - {name: HTTP, protocol: tcp, destination: www}
              - {name: SSH, protocol: tcp, destination: ssh}
              - {name: FTP, protocol: tcp, destination: 21}
            policies:
              - name: p
                domain: d
                rules:
                  - {name: ssh, sources: [clients], destinations: [web], services: [SSH], direction: bi, action: forward}
                  - {name: ssh-again, sources: [clients], destinations: [web], services: [SSH], action: forward}
                  - {name: http, sources: [clients], destinations: [web], services: [HTTP], direction: bi, action: forward}
                  - {name: legacy-ftp, sources: [clients], destinations: [web], services: [FTP], action: forward}
                  - {name: rest, sources: [clients], destinations: [web], action: drop}
            """;
    private static final long T0 = 1_780_000_000_000L;

    private static ObservedSession session(int protocol, String client, int clientPort, String server, int serverPort, long last) {
        return new ObservedSession(new IPAddressString(client).getAddress(), clientPort, new IPAddressString(server).getAddress(),
                serverPort, protocol, last - 1000, last, 8, 800);
    }

    @Test
    void rulesNoSessionHitAreStaleAndTheirRemovalBreaksNothingObserved() {
        PolicyBuild build = PolicyBuild.of(PolicySource.files("p.yaml", Map.of("p.yaml", POLICY)));
        assertThat(build.errors()).isEmpty();
        BreakSetAnalysis.Observed observed = new BreakSetAnalysis.Observed(List.of(
                session(6, "10.1.0.5", 50000, "10.2.0.7", 22, T0),
                session(6, "10.1.0.5", 50001, "10.2.0.7", 22, T0 + 9000),
                session(6, "10.1.0.6", 0, "10.2.0.7", 80, T0),
                session(1, "10.1.0.6", 0, "10.2.0.7", 0, T0)), "test", false);

        StaleAnalysis.Result result = StaleAnalysis.of(build, "p", observed, RuleCounters.none());

        assertThat(rows(result.analysis())).extracting(r -> r.get("rule") + " " + r.get("state") + " " + r.get("sessions") + " "
                + r.get("verifier")).containsExactly(
                // ssh-again repeats ssh, so ssh is redundant too; the reverse matches forward what the default forwards
                "ssh used 2 [redundant, redundant (reverse)]", "ssh-again stale 0 [shadowed]", "http used 1 [redundant (reverse)]",
                "legacy-ftp stale 0 []", "rest used 1 []");
        assertThat(rows(result.analysis()).getFirst()).containsEntry("lastHit", java.time.Instant.ofEpochMilli(T0 + 9000).toString())
                .containsEntry("lastHitFrom", "session");
        assertThat(rows(result.analysis()).get(1)).containsEntry("lastHit", null).containsEntry("lastHitFrom", null);
        assertThat(result.stale()).containsExactly("p/ssh-again", "p/legacy-ftp");
        assertThat(result.analysis().notes()).extracting(Analysis.Note::text).contains(
                "removing the stale rules (p/ssh-again, p/legacy-ftp) changes the verdict of no observed session: its break-set over the same sessions is empty");
        // the proposal really drops FTP to the catch-all drop: a change, just not one anybody observed
        PolicyBuild proposal = result.proposal().orElseThrow().build();
        assertThat(proposal.model().policies().get("p").rules()).extracting(r -> r.name()).containsExactly("ssh", "http", "rest");
        assertThat(SemanticDiff.compare(build, proposal)).extracting(SemanticDiff.Change::cell).anyMatch(c -> c.contains("FTP"));
    }

    @Test
    void aRuleWhoseDeviceCounterGrewIsUsedWithoutSessionsAndIsNotProposed() {
        PolicyBuild build = PolicyBuild.of(PolicySource.files("p.yaml", Map.of("p.yaml", POLICY)));
        BreakSetAnalysis.Observed observed = new BreakSetAnalysis.Observed(List.of(session(6, "10.1.0.5", 50000, "10.2.0.7", 22, T0)),
                "test", false);
        java.time.Instant polled = java.time.Instant.ofEpochMilli(T0 + 60_000);
        RuleCounters counters = new RuleCounters("1h", List.of(
                new RuleCounters.Hit("fw", "p", "legacy-ftp", false, 12, java.util.Optional.of(polled)),
                new RuleCounters.Hit("fw", "p", "ssh-again", false, 0, java.util.Optional.empty())));

        StaleAnalysis.Result result = StaleAnalysis.of(build, "p", observed, counters);

        assertThat(rows(result.analysis())).extracting(r -> r.get("rule") + " " + r.get("state") + " " + r.get("sessions") + " "
                + r.get("counterPackets") + " " + r.get("lastHit") + " " + r.get("lastHitFrom")).contains(
                "legacy-ftp used 0 12 " + polled + " counter poll", "ssh-again stale 0 0 null null",
                // the session was seen a minute before the poll at which no counter of ssh had grown
                "ssh used 1 null " + java.time.Instant.ofEpochMilli(T0) + " session");
        assertThat(result.stale()).contains("p/ssh-again").doesNotContain("p/legacy-ftp");
        assertThat(result.analysis().notes().getFirst().text()).endsWith("and no device counter of theirs grew (1h)");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(Analysis a) {
        return (List<Map<String, Object>>) ((List<Map<String, Object>>) a.tree().get("tables")).getFirst().get("rows");
    }
}
