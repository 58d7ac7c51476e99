package dev.septum.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.plan.DevicePlan;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Redirected traffic in {@code diff} and {@code reach}: its own kind of change, its own column; the internet its own row. */
class RedirectsInReviewTest {
    private static final String WORLD = """
            domains: [{name: d, devices: [sw], vrfs: [ALL]}]
            devices: [{name: sw, platform: eos}]
            groups: [{name: clients, prefixes: [10.1.0.0/24]}, {name: web, prefixes: [10.2.0.0/24]}]
            services: [{name: HTTP, protocol: tcp, destination: www}, {name: SSH, protocol: tcp, destination: ssh}]
            redirects: [{name: fw, next-hops: [192.0.2.1]}, {name: fw2, next-hops: [192.0.2.2]}]
            policies:
              - name: p
                domain: d
                rules:
            """;

    private static PolicyBuild policy(String rule) {
        PolicyBuild build = PolicyBuild.of(PolicySource.files("p.yaml", Map.of("p.yaml", WORLD + "      - " + rule + "\n")));
        assertThat(build.errors()).isEmpty();
        return build;
    }

    private static final String FORWARD = "{name: r, sources: [clients], destinations: [web], services: [HTTP], action: forward}";
    private static final String REDIRECT = "{name: r, sources: [clients], destinations: [web], services: [HTTP], action: redirect, redirect: fw}";
    private static final String REDIRECT2 = "{name: r, sources: [clients], destinations: [web], services: [HTTP], action: redirect, redirect: fw2}";
    private static final String DROP = "{name: r, sources: [clients], destinations: [web], services: [HTTP], action: drop}";

    /** The one change between two versions of rule r. */
    private static SemanticDiff.Change change(String before, String after) {
        List<SemanticDiff.Change> changes = SemanticDiff.compare(policy(before), policy(after));
        assertThat(changes).hasSize(1);
        return changes.getFirst();
    }

    @Test
    void forwardToRedirectIsNewlyRedirectedNotNewlyBlocked() {
        SemanticDiff.Change c = change(FORWARD, REDIRECT);

        assertThat(c.kind()).isEqualTo(SemanticDiff.Kind.NEWLY_REDIRECTED);
        assertThat(c.summary()).startsWith("newly redirected to fw (was forward): clients -> web, HTTP, e.g. 10.1.0.1:49152 -> 10.2.0.1:80 tcp");
    }

    @Test
    void redirectToForwardOrDropIsNoLongerRedirected() {
        assertThat(change(REDIRECT, FORWARD).summary()).startsWith("no longer redirected (was to fw, now forward): clients -> web, HTTP");
        assertThat(change(REDIRECT, DROP).summary()).startsWith("no longer redirected (was to fw, now drop): clients -> web, HTTP");
    }

    @Test
    void anotherRedirectObjectIsARedirectTargetChange() {
        SemanticDiff.Change c = change(REDIRECT, REDIRECT2);

        assertThat(c.kind()).isEqualTo(SemanticDiff.Kind.REDIRECT_TARGET_CHANGED);
        assertThat(c.summary()).startsWith("redirect target changed (fw -> fw2): clients -> web, HTTP");
    }

    @Test
    void forwardAndDropStayAllowedAndBlocked() {
        assertThat(change(FORWARD, DROP).summary()).startsWith("newly blocked: clients -> web, HTTP");
        assertThat(change(DROP, FORWARD).summary()).startsWith("newly allowed: clients -> web, HTTP");
    }

    @Test
    void reachShowsRedirectedServicesAndTheAddressesOutsideEveryGroup() {
        PolicyBuild build = policy(REDIRECT.replace("}", "}\n      - {name: no-web-from-outside, destinations: [web], action: drop}"));
        DevicePlan sw = build.plan("sw").orElseThrow();

        List<ReachabilityMatrix.Cell> cells = ReachabilityMatrix.compute(build.model(), sw, "ALL");

        assertThat(cells).extracting(c -> c.source() + " -> " + c.destination()).containsExactly(
                "clients -> clients", "clients -> web", "clients -> (outside every group)",
                "web -> clients", "web -> web", "web -> (outside every group)",
                "(outside every group) -> clients", "(outside every group) -> web",
                "(outside every group) -> (outside every group)");
        assertThat(cell(cells, "clients", "web")).satisfies(c -> {
            assertThat(c.services()).isEmpty();
            assertThat(c.redirected()).containsExactly(new ReachabilityMatrix.Redirected("HTTP", "fw", true));
            assertThat(c.otherTraffic()).isEqualTo(ReachabilityMatrix.Reach.NONE);
        });
        assertThat(cell(cells, ReachabilityMatrix.OUTSIDE, "web")).satisfies(c -> {
            assertThat(c.services()).isEmpty();
            assertThat(c.redirected()).isEmpty();
            assertThat(c.otherTraffic()).isEqualTo(ReachabilityMatrix.Reach.NONE);
        });
        assertThat(cell(cells, ReachabilityMatrix.OUTSIDE, "clients").services()).containsExactly("HTTP", "SSH");
    }

    private static ReachabilityMatrix.Cell cell(List<ReachabilityMatrix.Cell> cells, String from, String to) {
        return cells.stream().filter(c -> c.source().equals(from) && c.destination().equals(to)).findFirst().orElseThrow();
    }
}
