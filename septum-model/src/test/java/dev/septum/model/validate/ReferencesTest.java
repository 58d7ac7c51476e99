package dev.septum.model.validate;

import static dev.septum.model.TestPolicies.WORLD;
import static dev.septum.model.TestPolicies.at;
import static dev.septum.model.TestPolicies.atAfter;
import static dev.septum.model.TestPolicies.error;
import static dev.septum.model.TestPolicies.errors;
import static dev.septum.model.TestPolicies.load;
import static dev.septum.model.TestPolicies.loadWithWorld;
import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.model.load.LoadedPolicy;
import org.junit.jupiter.api.Test;

/** Names that point at other objects: unknown ones, wrong kinds, VRFs outside their domain. */
class ReferencesTest {

    @Test
    void unknownGroupSuggestsTheClosestGroup() {
        String policies = """
                policies:
                  - name: p
                    domain: campus
                    rules:
                      - name: r
                        sources: [wbe]
                        action: forward
                """;

        assertThat(errors(loadWithWorld(policies))).containsExactly(at(WORLD + policies, "wbe")
                + ": error: rule 'r' in policy 'p', field 'sources': no group is named 'wbe'. Fix: did you mean 'web'?");
    }

    @Test
    void unknownNameWithoutCloseMatchListsKnownNames() {
        String policies = """
                policies:
                  - name: p
                    domain: campus
                    rules:
                      - name: r
                        services: [telnet-legacy]
                        action: drop
                """;

        Diagnostic d = error(loadWithWorld(policies), "no service is named 'telnet-legacy'");
        assertThat(d.field()).isEqualTo("services");
        assertThat(d.fix()).isEqualTo("use one of dns, web-tls");
    }

    @Test
    void unknownDomainRedirectAndMonitorAreEachReported() {
        String policies = """
                policies:
                  - name: p
                    domain: campsu
                    rules:
                      - name: r
                        action: redirect
                        redirect: fw2
                        monitor: tpa
                """;

        LoadedPolicy loaded = loadWithWorld(policies);

        assertThat(errors(loaded)).containsExactly(
                at(WORLD + policies, "campsu") + ": error: policy 'p', field 'domain': no domain is named 'campsu'. "
                        + "Fix: did you mean 'campus'?",
                at(WORLD + policies, "fw2") + ": error: rule 'r' in policy 'p', field 'redirect': "
                        + "no redirect is named 'fw2'. Fix: did you mean 'fw'?",
                at(WORLD + policies, "tpa") + ": error: rule 'r' in policy 'p', field 'monitor': "
                        + "no monitor is named 'tpa'. Fix: did you mean 'tap'?");
    }

    @Test
    void vrfNotInTheDomainIsReportedAtTheVrf() {
        String policies = """
                policies:
                  - name: p
                    domain: campus
                    vrf: bleu
                """;

        assertThat(errors(loadWithWorld(policies))).containsExactly(at(WORLD + policies, "bleu")
                + ": error: policy 'p', field 'vrf': VRF 'bleu' is not in domain 'campus'. Fix: did you mean 'blue'?");
    }

    @Test
    void omittedVrfMeansAllAndMustBeInTheDomain() {
        String yaml = """
                domains:
                  - name: dc
                    vrfs: [red]
                policies:
                  - name: p
                    domain: dc
                """;

        Diagnostic d = error(load(yaml), "VRF 'ALL' is not in domain 'dc'");
        assertThat(d.fix()).isEqualTo("use one of red");
        assertThat(d.at().line()).isEqualTo(5);
    }

    @Test
    void monitorNodeMustHaveRoleMonitor() {
        String yaml = WORLD.replace("nodes: [mon1]", "nodes: [mon1, leaf2]");

        assertThat(errors(load(yaml))).containsExactly(atAfter(yaml, "nodes:", "leaf2") + ": error: monitor 'tap', field 'nodes': "
                + "device 'leaf2' is not a monitor node. Fix: set 'role: monitor' on that device, or name a monitor node");
    }

    @Test
    void unknownDomainDeviceAndDeviceInTwoDomainsAreReported() {
        // a second domain, inserted at the end of the 'domains:' section
        String yaml = WORLD.replace("devices:\n  - name: leaf1", """
                  - name: branch
                    devices: [leaf1, leaf3]
                    vrfs: [ALL]
                devices:
                  - name: leaf1""");

        LoadedPolicy loaded = load(yaml);

        assertThat(errors(loaded)).containsExactly(
                at(yaml, "leaf1, leaf3") + ": error: domain 'branch', field 'devices': device 'leaf1' is already in "
                        + "domain 'campus'. Fix: a device belongs to one security domain; remove it from one of them",
                at(yaml, "leaf3") + ": error: domain 'branch', field 'devices': no device is named 'leaf3'. "
                        + "Fix: did you mean 'leaf1'?");
    }
}
