package dev.septum.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import dev.septum.compile.plan.DevicePlan;
import dev.septum.model.Device;
import dev.septum.model.Platform;
import dev.septum.model.Role;
import dev.septum.model.SourceLocation;
import dev.septum.verify.Flow;
import dev.septum.verify.FlowTracer;
import dev.septum.verify.Verdict;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redirect replayed with real traffic: the lab router stands in for an EOS switch whose policy
 * redirects HTTP to a firewall; the lab builds the firewall as a next-hop namespace on the router
 * port the redirect object names, which forwards what it gets back to the router. A probe that
 * expects a redirect passes only if its connection completed and the next hop counted its packets.
 */
class RedirectLabTest {
    private static final String POLICY = """
            domains: [{name: d, devices: [sw], vrfs: [ALL]}]
            devices: [{name: sw, platform: eos}]
            groups:
              - {name: lan, prefixes: [10.0.0.0/24]}
              - {name: srv, prefixes: [10.0.1.0/24]}
            services:
              - {name: HTTP, protocol: tcp, destination: 80}
              - {name: SSH, protocol: tcp, destination: 22}
            redirects: [{name: fw, next-hops: [NEXT_HOP], router-port: fw0}]
            policies:
              - name: p
                domain: d
                rules:
                  - {name: to-fw, sources: [lan], destinations: [srv], services: [HTTP], action: redirect, redirect: fw}
                  - {name: ssh, sources: [lan], destinations: [srv], services: [SSH], action: forward}
                  - {name: rest, sources: [lan], destinations: [srv], action: drop}
            """;

    private static final String LAB = """
            policy-device: sw
            router: {name: router, device: lab-router}
            subnets:
              - {name: lan, prefix: 10.0.0.0/24, gateway: 10.0.0.1}
              - {name: srv, prefix: 10.0.1.0/24, gateway: 10.0.1.1}
            hosts:
              - {name: a, subnet: lan, address: 10.0.0.5}
              - {name: b, subnet: srv, address: 10.0.1.5, services: [http, ssh]}
            probes:
              - {from: a, to: b, probe: http, expect: redirect}
              - {from: a, to: b, probe: ssh, expect: allow}
              - {from: a, to: b, probe: ping, expect: drop}
              - {from: a, to: b, probe: ssh, expect: redirect, note: forwarded directly, so no next hop sees it}
            """;

    @Test
    void redirectedTrafficReachesTheNextHopAndItsConnectionCompletes(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("policy.yaml"), POLICY.replace("NEXT_HOP", "192.0.2.254"));
        Files.writeString(dir.resolve("lab.yaml"), LAB);
        String prefix = "sxr" + ProcessHandle.current().pid() + "-";

        LabResult result = Lab.open(dir, prefix, line -> { }).run();

        assertThat(result.rows()).extracting(r -> r.probe().label() + " " + r.predicted().keyword() + ": " + r.observed())
                .containsExactly(
                        "a -> b http redirect: redirected",
                        "a -> b ssh allow: allowed",
                        "a -> b ping drop: dropped",
                        "a -> b ssh redirect: allowed, not through a next hop");
        assertThat(result.mismatches()).singleElement().satisfies(r -> assertThat(r.probe().note()).contains("directly"));
        assertThat(result.counters()).singleElement().satisfies(c -> assertThat(c.readings())
                .filteredOn(reading -> reading.match().equals("to-fw")).singleElement()
                .satisfies(reading -> assertThat(reading.packets()).isPositive()));
        for (LabResult.Row row : result.rows().subList(0, 3)) {
            assertThat(traced(dir, row.probe())).as("trace agrees with the lab for " + row.probe().label())
                    .isEqualTo(row.observed());
        }
        assertThat(new ProcessBuilder("ip", "netns", "list").start().inputReader().lines()
                .filter(l -> l.startsWith(prefix)).toList()).as("torn down").isEmpty();
    }

    /** What septum trace says the lab router does with the probe's flow, in the lab's words. */
    private static String traced(Path dir, LabSpec.Probe probe) {
        PolicyBuild build = PolicyBuild.of(PolicySource.directory(dir));
        Device router = new Device("lab-router", Platform.NFTABLES, Role.SWITCH, "linux", Optional.empty(), Optional.empty(),
                List.of("inet"), SourceLocation.of("lab.yaml"));
        DevicePlan plan = build.plan("sw").orElseThrow().on(router);
        IPAddress a = new IPAddressString("10.0.0.5").getAddress();
        IPAddress b = new IPAddressString("10.0.1.5").getAddress();
        Flow flow = probe.kind() instanceof ProbeKind.Ping ? new Flow(a, b, 1, 0, 0) : new Flow(a, b, 6, 40000, probe.kind().port());
        FlowTracer.Trace trace = FlowTracer.trace(plan, "ALL", flow).orElseThrow();
        if (trace.verdict().redirectTarget().equals(Optional.of("fw"))) {
            return LabNextHops.REDIRECTED;
        }
        return trace.verdict().equals(Verdict.FORWARD) ? "allowed" : trace.verdict().equals(Verdict.DROP) ? "dropped" : "?";
    }

    /**
     * With the router port down the kernel drops the route to the next hop; the unreachable route in
     * the redirect's table then refuses redirected traffic instead of letting the main table route it
     * past the firewall, while directly forwarded traffic still passes.
     */
    @Test
    void redirectFailsClosedWhenTheNextHopIsGone(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("policy.yaml"), POLICY.replace("NEXT_HOP", "192.0.2.254"));
        Files.writeString(dir.resolve("lab.yaml"), LAB);
        Lab lab = Lab.open(dir, "sxr" + ProcessHandle.current().pid() + "f-", line -> { });
        LabSpec.Probe http = lab.spec().probes().get(0);
        LabSpec.Probe ssh = lab.spec().probes().get(1);

        try (Lab.Serving serving = lab.serve(java.util.Optional.empty())) {
            assertThat(serving.probe(java.util.List.of(http, ssh))).containsValues("allowed", "allowed");

            Process down = new ProcessBuilder("ip", "-n", serving.namespace("router"), "link", "set", "fw0", "down").start();
            assertThat(down.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && down.exitValue() == 0).isTrue();

            // the unreachable route answers with ICMP net unreachable, so curl's connect fails at once (exit 7),
            // which the prober reports as refused: the connection never reached the server
            assertThat(serving.probe(java.util.List.of(http, ssh))).containsExactly(
                    java.util.Map.entry(http.label(), "refused"), java.util.Map.entry(ssh.label(), "allowed"));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void ipv6NextHopsAreRefusedBeforeAnyNamespaceExists(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("policy.yaml"), POLICY.replace("NEXT_HOP", "192.0.2.254, '2001:db8::fe'")
                .replace("10.0.0.0/24]", "10.0.0.0/24, '2001:db8:1::/64']").replace("10.0.1.0/24]", "10.0.1.0/24, '2001:db8:2::/64']"));
        Files.writeString(dir.resolve("lab.yaml"), LAB);

        assertThatThrownBy(() -> Lab.open(dir, "sxr" + ProcessHandle.current().pid() + "-", line -> { }))
                .isInstanceOf(LabException.class)
                .hasMessageContaining("redirect 'fw' has IPv6 next hops, which the lab cannot build yet")
                .hasMessageContaining("Fix:");
    }
}
