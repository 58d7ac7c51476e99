package dev.septum.builder.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The placement proof fails for every way a proposal can change more than it may: a rule that is
 * not the proposal's, a proposal that opens what an explicit drop denied, a proposal that blocks;
 * and it holds for a proposal that only takes packets from the drop-else.
 */
class ProposalCheckTest {
    /** Domain dc with leaf1, and policy dc-policy ending in a drop-else. */
    static final String INVENTORY = EstateGuaranteesTest.INVENTORY;
    static final String OBJECTS = """
            groups:
              - name: web
                prefixes: [10.1.0.1]
              - name: app
                prefixes: [10.1.0.2]
              - name: admin
                prefixes: [10.1.0.9]
            services:
              - name: app-http
                protocol: tcp
                destination: 8080
              - name: SSH
                protocol: tcp
                destination: ssh
            """;
    /** An explicit denial before dc-policy's drop-else. */
    static final String POLICY = """
            policies:
              - name: guard
                domain: dc
                vrf: ALL
                priority: 20
                rules:
                  - name: no-admin-ssh
                    sources: [admin]
                    destinations: [app]
                    services: [SSH]
                    direction: bi
                    action: drop
            """;

    static PolicyBuild build(String proposal) {
        Map<String, String> files = proposal.isEmpty() ? Map.of("inventory.yaml", INVENTORY, "objects.yaml", OBJECTS, "policies.yaml", POLICY)
                : Map.of("inventory.yaml", INVENTORY, "objects.yaml", OBJECTS, "policies.yaml", POLICY, "proposal.yaml", proposal);
        PolicyBuild build = PolicyBuild.of(PolicySource.files("check", files));
        assertThat(build.errors()).isEmpty();
        return build;
    }

    static String proposal(String rule, String sources, String service, String action) {
        return """
                policies:
                  - name: recommended
                    domain: dc
                    vrf: ALL
                    priority: 10
                    rules:
                      - name: %s
                        sources: [%s]
                        destinations: [app]
                        services: [%s]
                        direction: bi
                        action: %s
                """.formatted(rule, sources, service, action);
    }

    static ProposalCheck.Outcome check(String proposal, Set<String> proposed) {
        return ProposalCheck.check(build(""), build(proposal), "leaf1", List.of(), proposed);
    }

    @Test
    void aProposalTakingPacketsFromTheDropElseOnlyIsProven() {
        ProposalCheck.Outcome outcome = check(proposal("web-to-app", "web", "app-http", "forward"), Set.of("web-to-app"));
        assertThat(outcome.problems()).isEmpty();
        assertThat(outcome.placementProven()).isTrue();
        assertThat(outcome.configLinesAdded()).isPositive();
    }

    @Test
    void aRuleThatIsNotTheProposalsFailsTheProof() {
        ProposalCheck.Outcome outcome = check(proposal("web-to-app", "web", "app-http", "forward"), Set.of("another"));
        assertThat(outcome.placementProven()).isFalse();
        assertThat(outcome.problems()).anySatisfy(p -> assertThat(p).startsWith("placement: newly allowed").contains("web-to-app"));
    }

    @Test
    void openingWhatAnExplicitDropDeniesFailsTheProof() {
        ProposalCheck.Outcome outcome = check(proposal("admin-to-app", "admin", "SSH", "forward"), Set.of("admin-to-app"));
        assertThat(outcome.placementProven()).isFalse();
        assertThat(outcome.problems()).anySatisfy(p -> assertThat(p).contains("decided before by no-admin-ssh"));
    }

    @Test
    void aProposalThatBlocksFailsTheProof() {
        String open = """
                policies:
                  - name: open
                    domain: dc
                    vrf: ALL
                    priority: 20
                    rules:
                      - name: web-to-app
                        sources: [web]
                        destinations: [app]
                        services: [app-http]
                        direction: bi
                        action: forward
                """;
        PolicyBuild before = PolicyBuild.of(PolicySource.files("open", Map.of("inventory.yaml", INVENTORY, "objects.yaml", OBJECTS,
                "policies.yaml", open)));
        PolicyBuild after = PolicyBuild.of(PolicySource.files("open", Map.of("inventory.yaml", INVENTORY, "objects.yaml", OBJECTS,
                "policies.yaml", open, "proposal.yaml", proposal("block", "web", "app-http", "drop"))));
        ProposalCheck.Outcome outcome = ProposalCheck.check(before, after, "leaf1", List.of(), Set.of("block"));
        assertThat(outcome.placementProven()).isFalse();
        assertThat(outcome.problems()).anySatisfy(p -> assertThat(p).startsWith("placement: newly blocked"));
    }
}
