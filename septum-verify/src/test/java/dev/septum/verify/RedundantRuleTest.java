package dev.septum.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A redundant rule's finding names the later rules that would decide its packets without it. */
class RedundantRuleTest {

    private static List<Finding> redundant(String rules) {
        PolicyBuild build = PolicyBuild.of(PolicySource.files("p.yaml", Map.of("p.yaml", """
                domains: [{name: d, devices: [sw], vrfs: [ALL]}]
                devices: [{name: sw, platform: eos}]
                groups:
                  - {name: lan, prefixes: [10.0.0.0/16]}
                  - {name: office, prefixes: [10.0.1.0/24]}
                  - {name: lab, prefixes: [10.0.2.0/24]}
                  - {name: servers, prefixes: [10.9.0.0/24]}
                services: [{name: SSH, protocol: tcp, destination: ssh}]
                policies:
                  - name: p
                    domain: d
                    rules:
                """ + rules)));
        assertThat(build.errors()).isEmpty();
        return PolicyChecker.check(build).stream().filter(f -> f.kind().equals("redundant")).toList();
    }

    @Test
    void namesEveryLaterRuleThatCoversPartOfIt() {
        List<Finding> findings = redundant("""
                      - {name: office-and-lab-ssh, sources: [office, lab], destinations: [servers], services: [SSH], action: drop}
                      - {name: office-to-servers, sources: [office], destinations: [servers], action: drop}
                      - {name: lan-ssh, sources: [lan], services: [SSH], action: drop}
                """);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.subject()).startsWith("match office-and-lab-ssh ipv4");
            assertThat(f.related()).containsExactly("office-to-servers", "lan-ssh");
            assertThat(f.message()).startsWith("removing it changes no verdict: office-to-servers, lan-ssh already drop");
        });
    }

    @Test
    void namesTheDefaultWhenItForwardsWhatTheRuleForwards() {
        List<Finding> findings = redundant("""
                      - {name: office-ssh, sources: [office], services: [SSH], action: forward}
                      - {name: lab-ssh, sources: [lab], services: [SSH], action: drop}
                """);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.subject()).startsWith("match office-ssh ipv4");
            assertThat(f.related()).containsExactly("the default (which forwards)");
        });
    }
}
