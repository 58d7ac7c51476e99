package dev.septum.compile.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.pipeline.ResolutionSnapshot.Member;
import dev.septum.compile.pipeline.ResolutionSnapshot.ResolvedGroup;
import dev.septum.model.validate.Diagnostic;
import dev.septum.model.validate.Severity;
import inet.ipaddr.IPAddressString;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * How a build uses its resolution snapshot: the plan, the configs and the model every analysis
 * reads hold the snapshot's members; a group that never resolved blocks the build; a stale one
 * keeps its last good members; an empty one matches nothing, in a forward and in a drop rule.
 */
class ResolutionSnapshotTest {
    private static final Instant TAKEN = Instant.parse("2026-12-06T01:00:00Z");
    private static final String POLICY = """
            domains: [{name: dc, devices: [router], vrfs: [ALL]}]
            devices: [{name: router, platform: nftables}]
            groups:
              - {name: clients, prefixes: [198.51.100.0/24]}
              - name: api
                prefixes: [203.0.113.99]
                source: {kind: dns, names: [api.example.com]}
            services: [{name: WEB, protocol: tcp, destination: 443}]
            policies:
              - name: p
                domain: dc
                vrf: ALL
                rules:
                  - {name: quarantine, sources: [api], action: drop}
                  - {name: web, sources: [clients], destinations: [api], services: [WEB], action: forward}
            """;

    private static PolicyBuild build(ResolvedGroup api) {
        ResolutionSnapshot snapshot = new ResolutionSnapshot(TAKEN, Map.of("api", api));
        return PolicyBuild.of(PolicySource.files("t", Map.of("p.yaml", POLICY)), GroupResolver.replay(snapshot));
    }

    private static ResolvedGroup api(Optional<Instant> at, Optional<String> problem, String... members) {
        return new ResolvedGroup("api", "dns", java.util.Arrays.stream(members)
                .map(m -> new Member(new IPAddressString(m).getAddress(), Map.of())).toList(), at, problem);
    }

    private static String config(PolicyBuild build) {
        return build.deviceConfigs().getFirst().config();
    }

    @Test
    void theDevicesAndTheModelEveryAnalysisReadsHoldTheSnapshotsMembers() {
        PolicyBuild build = build(api(Optional.of(TAKEN), Optional.empty(), "203.0.113.10/32", "2001:db8::10/128"));

        assertThat(build.errors()).isEmpty();
        assertThat(build.model().groups().get("api").members()).extracting(Object::toString)
                .containsExactly("203.0.113.10/32", "203.0.113.99/32", "2001:db8::10/128");
        assertThat(build.intent().groups().get("api").members()).as("the intent stays as written").hasSize(1);
        assertThat(config(build)).contains("203.0.113.10").contains("203.0.113.99").contains("2001:db8::10");
    }

    @Test
    void aGroupThatNeverResolvedBlocksTheBuildAtItsLine() {
        PolicyBuild build = build(api(Optional.empty(), Optional.of("127.0.0.1:5353 did not answer")));

        assertThat(build.ok()).isFalse();
        assertThat(build.devices()).as("no config is made from a guess").isEmpty();
        Diagnostic d = build.errors().getFirst();
        assertThat(d.format()).isEqualTo("p.yaml:5:11: error: group 'api', field 'source': has never resolved: "
                + "127.0.0.1:5353 did not answer. Fix: make the dns source answer (septum resolve shows each "
                + "source's health), or remove the source");
    }

    @Test
    void aStaticBuildRefusesADynamicGroupInsteadOfDroppingItsMembers() {
        PolicyBuild build = PolicyBuild.of(PolicySource.files("t", Map.of("p.yaml", POLICY)));

        assertThat(build.errors()).singleElement().extracting(Diagnostic::problem).asString()
                .contains("has never resolved").contains("does not ask dns sources");
    }

    @Test
    void aFailingSourceKeepsItsLastGoodMembersAndSaysHowOld() {
        PolicyBuild build = build(api(Optional.of(TAKEN.minus(Duration.ofMinutes(12))),
                Optional.of("timed out after 5s"), "203.0.113.10/32"));

        assertThat(build.ok()).isTrue();
        assertThat(config(build)).contains("203.0.113.10");
        assertThat(build.diagnostics()).filteredOn(d -> d.severity() == Severity.WARNING)
                .extracting(Diagnostic::problem).contains("failed (timed out after 5s); the members of its last good "
                        + "answer, 12m old, are kept");
    }

    /** Empty is "nobody", never "any": the drop rule drops nothing and the forward rule allows nothing. */
    @Test
    void anEmptyGroupMatchesNothingInADropAndInAForwardRule() {
        String written = POLICY.replace("    prefixes: [203.0.113.99]\n", "");
        ResolutionSnapshot snapshot = new ResolutionSnapshot(TAKEN, Map.of("api", api(Optional.of(TAKEN), Optional.empty())));
        PolicyBuild build = PolicyBuild.of(PolicySource.files("t", Map.of("p.yaml", written)), GroupResolver.replay(snapshot));

        assertThat(build.errors()).isEmpty();
        assertThat(build.diagnostics()).extracting(Diagnostic::problem)
                .contains("has no members, so rules using it never match");
        assertThat(config(build)).doesNotContain("c_quarantine").doesNotContain("c_web ").doesNotContain("c_web\n")
                .doesNotContain(" drop\n");
    }

    @Test
    void aReplayNeverTakesMembersOfAnotherKindOfSource() {
        ResolutionSnapshot snapshot = new ResolutionSnapshot(TAKEN, Map.of("api",
                new ResolvedGroup("api", "file", List.of(), Optional.of(TAKEN), Optional.empty())));
        PolicyBuild build = PolicyBuild.of(PolicySource.files("t", Map.of("p.yaml", POLICY)), GroupResolver.replay(snapshot));

        assertThat(build.errors()).singleElement().extracting(Diagnostic::problem).asString()
                .contains("does not hold it");
    }
}
