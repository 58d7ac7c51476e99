package dev.septum.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.septum.compile.eos.EosRenderer;
import dev.septum.compile.plan.DevicePlanner;
import dev.septum.compile.render.ConfigText;
import dev.septum.model.load.LoadedPolicy;
import dev.septum.model.load.PolicyLoader;
import org.junit.jupiter.api.Test;

/** The renderer's rules, each on the smallest policy that shows it. */
class EosRendererTest {
    private static final String BASE = """
            domains: [{name: dc, devices: [sw1], vrfs: [ALL, prod]}]
            devices:
              - {name: sw1, platform: eos, model: DCS-7280SR3-48YC8, loopback: 192.0.2.1}
              - {name: ztx, platform: eos, role: monitor, loopback: 192.0.2.9}
            groups:
              - {name: clients, prefixes: [198.51.100.0/24]}
              - {name: servers, prefixes: [203.0.113.10, 203.0.113.11]}
              - {name: v6servers, prefixes: ['2001:db8:1::/64']}
              - {name: dual, prefixes: [203.0.113.0/28, '2001:db8:2::/64']}
            services:
              - {name: DNS, protocol: udp, destination: domain}
              - {name: NTP, protocol: udp, destination: ntp}
              - {name: WEB, protocol: tcp, source: all, destination: [80, 443, 8000-8080]}
              - {name: MIXED, protocol: tcp, destination: [www, 8443]}
              - {name: PING, protocol: icmp}
            redirects:
              - {name: fw, next-hops: [192.0.2.100, '2001:db8::100']}
            monitors:
              - {name: ztx-mon, tunnel-destination: 192.0.2.9, nodes: [ztx]}
            """;

    @Test
    void bidirectionalRuleGetsAReverseMatchWithSwappedSidesAndReverseServices() {
        String config = compile("""
                - {name: dns, sources: [clients], destinations: [servers], services: [DNS], direction: bi, action: forward}
                """);

        assertThat(config).contains("""
                      match dns ipv4
                         source prefix field-set clients
                         destination prefix field-set servers
                         protocol service field-set DNS
                         !
                         actions
                            count
                      !
                      match dns-reverse ipv4
                         source prefix field-set servers
                         destination prefix field-set clients
                         protocol service field-set DNS-reverse
                """);
        assertThat(config).contains("""
                   field-set service DNS-reverse
                      protocol udp source port domain destination port all
                """);
    }

    @Test
    void unidirectionalRuleHasNoReverseMatchNorReverseServiceSet() {
        String config = compile("""
                - {name: dns, sources: [clients], destinations: [servers], services: [DNS], action: forward}
                """);

        assertThat(config).contains("match dns ipv4").doesNotContain("-reverse");
    }

    @Test
    void anySourceOmitsTheSourceLineAndAnyServiceOmitsTheProtocolLine() {
        String config = compile("""
                - {name: to-servers, destinations: [servers], action: drop}
                """);

        assertThat(config).contains("""
                      match to-servers ipv4
                         destination prefix field-set servers
                         !
                         actions
                            count
                            drop
                """).doesNotContain("source prefix").doesNotContain("protocol service");
    }

    @Test
    void multiServiceRuleNamesAllServiceSetsOnOneLine() {
        String config = compile("""
                - {name: infra, sources: [clients], destinations: [servers], services: [DNS, NTP], action: forward}
                """);

        assertThat(config).contains("         protocol service field-set DNS NTP\n");
    }

    @Test
    void portListsAreCommaSeparatedAndNeverMixNamesWithNumbers() {
        String config = compile("""
                - {name: web, destinations: [servers], services: [WEB, MIXED], action: forward}
                """);

        assertThat(config)
                .contains("protocol tcp source port all destination port 80,443,8000-8080")
                .contains("protocol tcp source port all destination port 80,8443");
    }

    @Test
    void protocolsWithoutPortsRenderTheProtocolOnly() {
        String config = compile("""
                - {name: ping, destinations: [servers], services: [PING], action: forward}
                """);

        assertThat(config).contains("   field-set service PING\n      protocol icmp\n");
    }

    @Test
    void redirectSendsToTheNextHopsOfTheMatchFamily() {
        String config = compile("""
                - {name: inspect, sources: [clients], destinations: [dual], action: redirect, redirect: fw}
                - {name: inspect6, destinations: [v6servers], action: redirect, redirect: fw}
                """);

        assertThat(config).contains("""
                         actions
                            count
                            redirect next-hop 192.0.2.100
                """).contains("""
                      match inspect6 ipv6
                         destination prefix field-set v6servers
                         !
                         actions
                            count
                            redirect next-hop 2001:db8::100
                """);
    }

    @Test
    void monitoredRuleMirrorsToTheMonitorSessionAndTheSwitchGetsTheGreSession() {
        String config = compile("""
                - {name: watch, sources: [clients], action: drop, monitor: ztx-mon}
                """);

        assertThat(config).startsWith("""
                monitor session ztx-mon-ALL destination tunnel mode gre source 192.0.2.1 destination 192.0.2.9 protocol 0x6558 key 0
                monitor session ztx-mon-ALL truncate
                monitor session ztx-mon-ALL rate-limit per-egress-chip 100000000 kbps
                monitor session default encapsulation gre payload full-packet
                """).contains("""
                            count
                            drop
                            mirror session ztx-mon-ALL
                """);
    }

    /** A mirror session or tunnel nothing mirrors into still costs the switch a session and the node a tunnel. */
    @Test
    void onlySwitchesWhoseRulesMirrorGetTheSessionAndTheNodeATunnel() {
        String yaml = """
                domains:
                  - {name: dc, devices: [sw1], vrfs: [ALL]}
                  - {name: lab, devices: [sw2], vrfs: [ALL]}
                devices:
                  - {name: sw1, platform: eos, loopback: 192.0.2.1}
                  - {name: sw2, platform: eos, loopback: 192.0.2.2}
                  - {name: ztx, platform: eos, role: monitor, loopback: 192.0.2.9}
                groups:
                  - {name: clients, prefixes: [198.51.100.0/24]}
                monitors:
                  - {name: ztx-mon, tunnel-destination: 192.0.2.9, nodes: [ztx]}
                policies:
                  - {name: p, domain: dc, rules: [{name: watch, sources: [clients], action: drop, monitor: ztx-mon}]}
                  - name: q
                    domain: lab
                    rules:
                      - {name: quiet, sources: [clients], action: drop}
                      - {name: off, sources: [clients], action: drop, monitor: ztx-mon, enabled: false}
                """;
        LoadedPolicy loaded = PolicyLoader.loadString("test.yaml", yaml);
        assertThat(loaded.errors()).isEmpty();
        EosRenderer eos = new EosRenderer();

        assertThat(eos.render(DevicePlanner.plan(loaded.model(), "sw1").orElseThrow())).contains("monitor session ztx-mon-ALL");
        assertThat(eos.render(DevicePlanner.plan(loaded.model(), "sw2").orElseThrow())).doesNotContain("monitor session");
        assertThat(eos.render(DevicePlanner.plan(loaded.model(), "ztx").orElseThrow()))
                .contains("description mirror from sw1").doesNotContain("sw2");
    }

    @Test
    void ipv6GroupsGetIpv6FieldSetsAndMatchesAndDualStackGroupsSplit() {
        String config = compile("""
                - {name: to-v6, destinations: [v6servers], action: forward}
                - {name: to-dual, destinations: [dual], action: forward}
                """);

        assertThat(config)
                .contains("   field-set ipv6 prefix v6servers\n      2001:db8:1::/64\n")
                .contains("   field-set ipv4 prefix dual\n      203.0.113.0/28\n")
                .contains("   field-set ipv6 prefix dual-ipv6\n      2001:db8:2::/64\n")
                .contains("      match to-v6 ipv6\n         destination prefix field-set v6servers\n")
                .contains("      match to-dual ipv4\n         destination prefix field-set dual\n")
                .contains("      match to-dual-ipv6 ipv6\n         destination prefix field-set dual-ipv6\n");
    }

    @Test
    void fieldSetsAreSharedNotDuplicatedAndSortedByName() {
        String config = compile("""
                - {name: a, sources: [servers], destinations: [clients], services: [DNS], action: forward}
                - {name: b, sources: [clients], destinations: [servers], services: [DNS], action: drop}
                """);

        assertThat(config.split("field-set ipv4 prefix servers\n", -1)).hasSize(2);
        assertThat(config.split("field-set service DNS\n", -1)).hasSize(2);
        assertThat(config.indexOf("prefix clients")).isLessThan(config.indexOf("prefix servers"));
    }

    @Test
    void disabledRulesAreLeftOutAndDefaultsComeLast() {
        String config = compile("""
                - {name: off, destinations: [servers], action: drop, enabled: false}
                - {name: on, destinations: [servers], action: drop}
                """);

        assertThat(config).doesNotContain("match off ").endsWith("""
                      match on ipv4
                         destination prefix field-set servers
                         !
                         actions
                            count
                            drop
                      !
                      match ipv4-all-default ipv4
                      !
                      match ipv6-all-default ipv6
                """);
    }

    @Test
    void policiesOfOneVrfMergeByPriorityAndEachVrfGetsItsOwnTrafficPolicy() {
        LoadedPolicy loaded = PolicyLoader.loadString("test.yaml", BASE + """
                policies:
                  - name: later
                    domain: dc
                    priority: 20
                    rules: [{name: r-later, destinations: [servers], action: drop}]
                  - name: first
                    description: infrastructure services
                    domain: dc
                    priority: 10
                    rules: [{name: r-first, destinations: [servers], services: [DNS], action: forward}]
                  - name: prod-policy
                    domain: dc
                    vrf: prod
                    rules: [{name: r-prod, sources: [clients], action: drop}]
                """);
        assertThat(loaded.errors()).isEmpty();
        String config = new EosRenderer().render(DevicePlanner.plan(loaded.model(), "sw1").orElseThrow());

        assertThat(config).contains("""
                   vrf ALL
                      traffic-policy input first physical
                   !
                   vrf prod
                      traffic-policy input prod-policy physical
                """).contains("""
                   traffic-policy first
                      !! infrastructure services
                      description #policy-id=257
                """).contains("   traffic-policy prod-policy\n      description #policy-id=258\n");
        assertThat(config.indexOf("match r-first")).isLessThan(config.indexOf("match r-later"));
        assertThat(config).doesNotContain("transforms interface prefix");
    }

    @Test
    void strataSwitchesGetThePrefixTransform() {
        String config = compileWith(BASE.replace("DCS-7280SR3-48YC8", "CCS-720XP-48ZC2"),
                "- {name: r, destinations: [servers], action: drop}\n");

        assertThat(config).contains("   transforms interface prefix common source-destination\n   !\n   traffic-policy p\n");
    }

    @Test
    void theLastGuardRefusesAnyLineBreakInRenderedText() {
        assertThatThrownBy(() -> new ConfigText().line(3, "match x ipv4\n   actions"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("control character");
    }

    private static String compile(String rules) {
        return compileWith(BASE, rules);
    }

    private static String compileWith(String base, String rules) {
        String yaml = base + "policies:\n  - name: p\n    domain: dc\n    rules:\n" + rules.indent(6);
        LoadedPolicy loaded = PolicyLoader.loadString("test.yaml", yaml);
        assertThat(loaded.errors()).as(yaml).isEmpty();
        return new EosRenderer().render(DevicePlanner.plan(loaded.model(), "sw1").orElseThrow());
    }
}
