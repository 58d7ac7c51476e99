package dev.septum.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** lab.yaml problems are all reported at once, each naming the object, the field and the fix. */
class LabSpecLoaderTest {
    private static final String ONE_SUBNET = """
            policy-device: sw
            router: {name: router, device: r}
            subnets:
              - {name: lan, prefix: 10.0.0.0/24, gateway: 10.0.0.1}
            """;

    @Test
    void seedLabDescriptionLoads() {
        LabSpec spec = LabSpecLoader.load(Path.of("..", "examples", "seed-lab"));

        assertThat(spec.policyDevice()).isEqualTo("andreasm-720xp-home");
        assertThat(spec.hosts()).extracting(LabSpec.Host::name).contains("web01", "web02", "appserver1", "laptop");
        assertThat(spec.scenarios()).extracting(LabSpec.Scenario::name).containsExactly("router-only", "port-isolation", "bridge-family");
        assertThat(spec.probes()).hasSize(21);
    }

    @Test
    void everyProblemNamesObjectFieldAndFix() {
        String yaml = """
                policy-device: sw
                router: {name: router, device: r}
                subnets:
                  - {name: lan, prefix: 10.0.0.0/24, gateway: 10.0.0.1}
                hosts:
                  - {name: a, subnet: lann, address: 10.0.0.5, services: [ssh, gopher]}
                  - {name: b, subnet: lan, address: 10.9.0.5, bridge: hv}
                  - {name: b, subnet: lan, address: 10.0.0.6}
                probes:
                  - {from: a, to: c, probe: ssh, expect: allow}
                  - {from: b, to: a, probe: http, expect: maybe}
                """;

        assertThatThrownBy(() -> LabSpecLoader.parse("lab.yaml", yaml)).isInstanceOfSatisfying(LabSpecException.class, e ->
                assertThat(e.problems())
                        .contains("lab.yaml: host 'a', field 'subnet': no subnet is named 'lann'. Fix: use one of lan")
                        .contains("lab.yaml: host 'a', field 'services': 'gopher' is not a service. Fix: ssh, http, http/N, tcp/N, dns, ntp, udp/N")
                        .contains("lab.yaml: host 'b', field 'address': 10.9.0.5 is outside subnet lan (10.0.0.0/24)")
                        .contains("lab.yaml: host 'b', field 'bridge': no bridge is named 'hv'. Fix: add it under bridges: or remove the field")
                        .contains("lab.yaml: host 'b', field 'name': is used twice. Fix: give each host its own name")
                        .contains("lab.yaml: probe a -> c, field 'to': no host is named 'c'. Fix: use one of a, b, b")
                        .contains("lab.yaml: probe b -> a, field 'probe': a does not listen for http. Fix: add it to the host's services")
                        .contains("lab.yaml: probe b -> a, field 'expect': 'maybe' is not a verdict. Fix: allow, drop or redirect"));
    }

    @Test
    void aProbeMayExpectAnotherVerdictInNamedScenarios() {
        String yaml = ONE_SUBNET + """
                hosts:
                  - {name: a, subnet: lan, address: 10.0.0.5, services: [ssh]}
                  - {name: b, subnet: lan, address: 10.0.0.6}
                probes:
                  - {from: b, to: a, probe: ssh, expect: drop, expect-in: {stateful: allow}}
                scenarios:
                  - {name: stateless, description: a switch}
                  - {name: stateful, description: a Linux router}
                """;
        LabSpec.Probe p = LabSpecLoader.parse("lab.yaml", yaml).probes().getFirst();
        assertThat(p.expect("stateless")).isEqualTo(LabSpec.Verdict.DROP);
        assertThat(p.expect("stateful")).isEqualTo(LabSpec.Verdict.ALLOW);

        String typo = yaml.replace("{stateful: allow}", "{statefull: allow, stateless: maybe}");
        assertThatThrownBy(() -> LabSpecLoader.parse("lab.yaml", typo)).isInstanceOfSatisfying(LabSpecException.class, e ->
                assertThat(e.problems())
                        .contains("lab.yaml: probe b -> a ssh, field 'expect-in': no scenario is named 'statefull'. "
                                + "Fix: use one of stateless, stateful")
                        .contains("lab.yaml: probe b -> a, field 'expect-in.stateless': 'maybe' is not a verdict. Fix: allow, drop or redirect"));
    }

    @Test
    void aRedirectCanBeExpected() {
        String yaml = ONE_SUBNET + """
                hosts:
                  - {name: a, subnet: lan, address: 10.0.0.5, services: [http]}
                  - {name: b, subnet: lan, address: 10.0.0.6}
                probes:
                  - {from: b, to: a, probe: http, expect: redirect}
                """;
        assertThat(LabSpecLoader.parse("lab.yaml", yaml).probes()).singleElement()
                .satisfies(p -> assertThat(p.expect()).isEqualTo(LabSpec.Verdict.REDIRECT));
    }

    @Test
    void mirroredExpectationsNeedTheMonitorNode() {
        String yaml = ONE_SUBNET + """
                hosts:
                  - {name: a, subnet: lan, address: 10.0.0.5, services: [dns]}
                  - {name: m, subnet: lan, address: 10.0.0.9}
                monitor: {host: m}
                probes:
                  - {from: m, to: a, probe: dns, expect: allow, mirrored: monitor-dns}
                  - {from: m, to: a, probe: ping, expect: allow, mirrored: false}
                  - {from: a, to: m, probe: ping, expect: allow}
                """;
        LabSpec spec = LabSpecLoader.parse("lab.yaml", yaml);
        assertThat(spec.monitor()).contains(new LabSpec.Monitor("m"));
        assertThat(spec.probes()).extracting(LabSpec.Probe::mirrored).containsExactly(
                Optional.of(new LabSpec.Mirrored(true, Optional.of("monitor-dns"))),
                Optional.of(new LabSpec.Mirrored(false, Optional.empty())), Optional.empty());

        assertThatThrownBy(() -> LabSpecLoader.parse("lab.yaml", yaml.replace("monitor: {host: m}", "monitor: {host: vztx}")
                .replace("mirrored: false", "mirrored: [x]"))).isInstanceOfSatisfying(LabSpecException.class, e ->
                assertThat(e.problems())
                        .contains("lab.yaml: monitor, field 'host': no host is named 'vztx'. Fix: use one of a, m")
                        .contains("lab.yaml: probe m -> a, field 'mirrored': '[x]' is not a monitor expectation. Fix: the rule "
                                + "that decides the mirrored session, true (stored by any rule) or false (not stored)"));
        assertThatThrownBy(() -> LabSpecLoader.parse("lab.yaml", yaml.replace("monitor: {host: m}", "")))
                .isInstanceOfSatisfying(LabSpecException.class, e -> assertThat(e.problems()).contains(
                        "lab.yaml: probe m -> a dns, field 'mirrored': the lab has no monitor node. Fix: add monitor: {host: NAME}, "
                                + "NAME a host holding the monitor object's tunnel-destination, or remove the field"));
    }

    @Test
    void severalRoutersEachOwnTheirSubnets() {
        String yaml = """
                routers:
                  - {name: campus, device: c, policy-device: campus-sw}
                  - {name: dc, device: d, policy-device: dc-sw}
                subnets:
                  - {name: lan, prefix: 10.0.0.0/24, gateway: 10.0.0.1}
                  - {name: srv, prefix: 10.2.0.0/24, gateway: 10.2.0.1, router: dc}
                bridges:
                  - {name: hv, device: h}
                hosts:
                  - {name: a, subnet: lan, address: 10.0.0.5}
                  - {name: b, subnet: srv, address: 10.2.0.5}
                """;
        LabSpec spec = LabSpecLoader.parse("lab.yaml", yaml);
        assertThat(spec.router().name()).isEqualTo("campus");
        assertThat(spec.policyDevice(spec.routers().get(1))).isEqualTo("dc-sw");
        assertThat(spec.routerOf(spec.subnet("lan").orElseThrow()).name()).isEqualTo("campus");
        assertThat(spec.routerOf(spec.subnet("srv").orElseThrow()).name()).isEqualTo("dc");

        assertThatThrownBy(() -> LabSpecLoader.parse("lab.yaml", yaml + "router: {name: r, device: r}\n")).isInstanceOfSatisfying(LabSpecException.class, e ->
                assertThat(e.problems()).contains("lab.yaml: lab, field 'router': and routers: are both given. Fix: keep one"));
        String wrong = yaml.replace("router: dc}", "router: dcc}").replace("address: 10.0.0.5}", "address: 10.0.0.5, bridge: hv}")
                .replace("{name: hv, device: h}", "{name: hv, device: h, router: dc}");
        assertThatThrownBy(() -> LabSpecLoader.parse("lab.yaml", wrong)).isInstanceOfSatisfying(LabSpecException.class, e ->
                assertThat(e.problems())
                        .contains("lab.yaml: subnet 'srv', field 'router': no router is named 'dcc'. Fix: use one of campus, dc")
                        .contains("lab.yaml: host 'a', field 'bridge': bridge hv hangs off router dc, subnet lan off router campus. "
                                + "Fix: give both the same router"));
    }

    @Test
    void missingLabFileSaysWhereToStart() {
        assertThatThrownBy(() -> LabSpecLoader.load(Path.of("..", "examples", "seed-lab-dns-ntp")))
                .hasMessageContaining("no lab description here").hasMessageContaining("examples/seed-lab/lab.yaml");
    }
}
