package dev.septum.compile.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.septum.compile.plan.DevicePlanner;
import dev.septum.compile.render.Renderers;
import dev.septum.model.Platform;
import dev.septum.model.load.LoadedPolicy;
import dev.septum.model.load.PolicyLoader;
import org.junit.jupiter.api.Test;

/** The nftables renderer's rules, each on the smallest policy that shows it. */
class NftablesRendererTest {
    private static final String BASE = """
            domains: [{name: dc, devices: [router, hv, hv-ct], vrfs: [ALL]}]
            devices:
              - {name: router, platform: nftables}
              - {name: hv, platform: nftables, tags: [bridge]}
              - {name: hv-ct, platform: nftables, tags: [bridge, bridge-conntrack, inet]}
            groups:
              - {name: clients, prefixes: [198.51.100.0/24]}
              - {name: servers, prefixes: [203.0.113.10, 203.0.113.11]}
              - {name: admins, prefixes: [192.0.2.0/28]}
              - {name: dual, prefixes: [203.0.113.0/28, '2001:db8:2::/64']}
              - {name: ip, prefixes: [192.0.2.64/26]}
            services:
              - {name: DNS, protocol: udp, destination: domain}
              - {name: WEB, protocol: tcp, source: all, destination: [80, 443, 8000-8080]}
              - {name: PING, protocol: icmp}
            redirects:
              - {name: fw, next-hops: [192.0.2.100, '2001:db8::100'], router-port: eth9}
            """;

    @Test
    void theRendererIsRegisteredForTheNftablesPlatform() {
        assertThat(Renderers.forPlatform(Platform.NFTABLES)).get().isInstanceOf(NftablesRenderer.class);
    }

    @Test
    void scriptReplacesOnlySeptumsOwnTableInOneTransaction() {
        String config = compile("router", "- {name: dns, destinations: [servers], services: [DNS], action: forward}");

        assertThat(config).startsWith("#!/usr/sbin/nft -f\n")
                .contains("table inet septum\ndelete table inet septum\ntable inet septum {\n")
                .doesNotContain("flush ruleset").doesNotContain("table ip ").doesNotContain("table bridge");
    }

    @Test
    void statefulTableAcceptsRepliesFirstAndLeavesOutTheReverseMatchesOfForwardRules() {
        String config = compile("router", """
                - {name: web, sources: [clients], destinations: [servers], services: [WEB], direction: bi, action: forward}
                - {name: rest, sources: [servers], action: drop, direction: bi}
                """);

        assertThat(config).doesNotContain("c_web-reverse").doesNotContain("s_WEB-reverse")
                // flows opened towards the servers are dropped by the drop rule's reverse, as on EOS
                .contains("ip daddr @g_servers counter name c_rest-reverse drop\n")
                .contains("""
                            type filter hook forward priority filter; policy accept;
                            ct state established,related accept
                            jump policy_ALL
                    """)
                .contains("ip saddr @g_clients ip daddr @g_servers meta l4proto . th sport . th dport @s_WEB "
                        + "counter name c_web accept\n")
                .contains("ip saddr @g_servers counter name c_rest drop\n");
        assertThat(config.indexOf("c_web accept")).isLessThan(config.indexOf("c_rest drop"));
    }

    @Test
    void statelessBridgeTableRendersTheReverseMatchesAsEosDoes() {
        String config = compile("hv", """
                - {name: web, sources: [clients], destinations: [servers], services: [WEB], direction: bi, action: forward}
                """);

        assertThat(config).contains("table bridge septum {").doesNotContain("table inet").doesNotContain("ct state")
                .contains("ip saddr @g_servers ip daddr @g_clients meta l4proto . th sport . th dport @s_WEB-reverse "
                        + "counter name c_web-reverse accept\n")
                .contains("elements = { tcp . 80 . 0-65535, tcp . 443 . 0-65535, tcp . 8000-8080 . 0-65535 }");
    }

    @Test
    void bridgeWithConntrackTagIsStatefulAndInetTagAddsTheRouterTable() {
        String config = compile("hv-ct", "- {name: web, destinations: [servers], services: [WEB], direction: bi, action: forward}");

        assertThat(config).contains("table bridge septum {").contains("table inet septum {")
                .doesNotContain("c_web-reverse").contains("ct state established,related accept");
    }

    @Test
    void portsRenderAsNumbersAndPortlessProtocolsGetTheirOwnSet() {
        String config = compile("router", """
                - {name: mixed, destinations: [servers], services: [DNS, PING], action: drop}
                """);

        assertThat(config).contains("elements = { udp . 0-65535 . 53 }")
                .contains("set p_PING {").contains("type inet_proto\n").contains("elements = { icmp }")
                .contains("ip daddr @g_servers meta l4proto . th sport . th dport @s_DNS counter name c_mixed drop\n")
                .contains("ip daddr @g_servers meta l4proto @p_PING counter name c_mixed drop\n");
    }

    @Test
    void severalGroupsOnASideBecomeAdjacentRulesSharingOneCounter() {
        String config = compile("router", """
                - {name: two, sources: [clients, admins], destinations: [servers], action: forward}
                """);

        assertThat(config).contains("""
                        ip saddr @g_clients ip daddr @g_servers counter name c_two accept
                        ip saddr @g_admins ip daddr @g_servers counter name c_two accept
                """).containsOnlyOnce("counter c_two {");
    }

    @Test
    void anyToAnyRuleIsGuardedByItsFamily() {
        String router = compile("router", "- {name: all, action: drop}");
        String bridge = compile("hv", "- {name: all, action: drop}");

        assertThat(router).contains("meta nfproto ipv4 counter name c_all drop\n")
                .contains("meta nfproto ipv6 counter name c_all-ipv6 drop\n");
        assertThat(bridge).contains("ether type ip counter name c_all drop\n");
    }

    @Test
    void dualStackGroupGetsOneSetPerFamily() {
        String config = compile("router", "- {name: to-dual, destinations: [dual], action: drop}");

        assertThat(config).contains("set g_dual {\n        # group dual\n        type ipv4_addr\n")
                .contains("set g_dual-ipv6 {\n        # group dual\n        type ipv6_addr\n")
                .contains("ip6 daddr @g_dual-ipv6 counter name c_to-dual-ipv6 drop\n");
    }

    @Test
    void namesThatAreNftKeywordsArePrefixed() {
        String config = compile("router", "- {name: fwd, sources: [ip], action: drop}");

        assertThat(config).contains("set g_ip {").contains("ip saddr @g_ip counter name c_fwd drop");
    }

    /**
     * Redirect on a router, both families, pinned byte for byte in {@code nftables/redirect-router.nft}:
     * the prerouting chain walks the matches up to the last redirect, returns for what the router port
     * brings back, marks redirected connections; the policy chain accepts them; the routing sections
     * send marked packets to the next hops and fail closed.
     */
    @Test
    void redirectOnARouterMarksNewConnectionsAndRoutesThemToTheNextHops() throws java.io.IOException {
        String config = compile("router", """
                - {name: direct, sources: [admins], destinations: [dual], action: forward}
                - {name: inspect, destinations: [dual], services: [WEB], action: redirect, redirect: fw}
                - {name: blocked, sources: [clients], action: drop}
                - {name: rest, destinations: [servers], action: forward}
                """);

        assertThat(config).contains("""
                        type filter hook prerouting priority mangle; policy accept;
                        # what the next hops send back is not redirected again
                        iifname "eth9" return
                """).contains("ip daddr @g_dual meta l4proto . th sport . th dport @s_WEB "
                        + "ct mark set 0x53520100 meta mark set 0x53520100 return\n")
                .contains("counter name c_inspect accept\n")
                .contains("# septum routing: ip -4 -batch\nrule add pref 29101 fwmark 0x53520100/0xffffff00 table 29101\n"
                        + "route replace default table 29101 nexthop via 192.0.2.100 dev eth9\n"
                        + "route replace unreachable default metric 4294967295 table 29101\n")
                .contains("# septum routing: ip -6 -batch\n");
        String walk = config.substring(config.indexOf("chain mark_redirects {"), config.indexOf("chain forward {"));
        assertThat(walk).contains("# direct: forward").doesNotContain("# blocked").doesNotContain("# rest")
                .doesNotContain("counter");
        java.nio.file.Path golden = SeedNftablesGoldenTest.GOLDEN.resolve("redirect-router.nft");
        if (Boolean.getBoolean("septum.updateGoldens")) {
            java.nio.file.Files.writeString(golden, config);
        }
        assertThat(config).isEqualTo(java.nio.file.Files.readString(golden));
    }

    /** A redirect after the last redirect decides nothing for routing; staged redirects mark nothing. */
    @Test
    void withoutAnAppliedRedirectThereIsNoPreroutingChainAndNoRoutingSection() {
        String config = compile("router", """
                - {name: inspect, destinations: [servers], action: redirect, redirect: fw, mode: staged}
                - {name: rest, destinations: [servers], action: forward}
                """);

        assertThat(config).doesNotContain("prerouting").doesNotContain(NftNames.ROUTING_SECTION)
                .doesNotContain("meta mark");
    }

    /** The profile refuses redirects on bridges before rendering; a plan that gets here anyway must not become an accept. */
    @Test
    void redirectOnABridgeIsNeverRenderedAsAnAccept() {
        assertThatThrownBy(() -> compile("hv", """
                - {name: inspect, destinations: [servers], action: redirect, redirect: fw}
                """)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("device 'hv'").hasMessageContaining("only as a router with one VRF");
    }

    @Test
    void eachVrfsPacketsGoToItsOwnChainByTheVrfDeviceTheyCameInOn() {
        String base = BASE.replace("vrfs: [ALL]", "vrfs: [red, blue, default]");
        String yaml = base + """
                policies:
                  - {name: p1, domain: dc, vrf: red, rules: [{name: a, sources: [clients], action: drop}]}
                  - {name: p2, domain: dc, vrf: blue, rules: [{name: b, sources: [clients], action: forward}]}
                  - {name: p3, domain: dc, vrf: default, rules: [{name: c, sources: [admins], action: drop}]}
                """;
        LoadedPolicy loaded = PolicyLoader.loadString("test.yaml", yaml);
        assertThat(loaded.errors()).isEmpty();

        String config = new NftablesRenderer().render(DevicePlanner.plan(loaded.model(), "router").orElseThrow());

        assertThat(config).contains("chain policy_red {", "chain policy_blue {", "chain policy_default {")
                .contains(String.join("\n",
                        "    chain forward {",
                        "        type filter hook forward priority filter; policy accept;",
                        "        ct state established,related accept",
                        "        # each VRF's packets come in on its VRF device; the main table's on no VRF device",
                        "        iifname \"red\" goto policy_red",
                        "        iifname \"blue\" goto policy_blue",
                        "        goto policy_default",
                        "    }"))
                .contains("iif \"lo\" accept\n        ct state established,related accept\n"
                        + "        # each VRF's packets come in on its VRF device; the main table's on no VRF device\n"
                        + "        iifname \"red\" goto policy_red")
                .doesNotContain("jump policy_");
    }

    @Test
    void descriptionsStayInsideCommentLines() {
        String config = compile("router", """
                - {name: web, description: 'x"; flush ruleset; } table ip evil {', destinations: [servers], action: drop}
                """);

        assertThat(config).contains("        # web: x\"; flush ruleset; } table ip evil {\n")
                .contains("counter c_web { comment \"p/web\" }")
                .doesNotContain("\nflush ruleset").doesNotContain("\ntable ip evil");
    }

    @Test
    void outputIsDeterministic() {
        String rules = "- {name: web, sources: [clients], destinations: [servers, dual], services: [WEB, PING], action: forward}";
        assertThat(compile("hv-ct", rules)).isEqualTo(compile("hv-ct", rules));
    }

    @Test
    void aRunOfPortCarryingMatchesBecomesFirstMatchRegionsWithTheOwnersCounters() {
        String config = compile("router", "", """
                - {name: deny, sources: [clients], services: [WEB], action: drop}
                - {name: web, sources: [clients, admins], destinations: [servers], services: [WEB], action: forward}
                - {name: rest, sources: [clients], action: drop}
                - {name: dns, destinations: [servers, dual], services: [DNS], action: forward}
                - {name: dns6, destinations: [dual], services: [DNS], action: drop}
                """, 2);

        // web's boxes from the clients lie wholly under deny's: only the admins' box is web's, and
        // the two servers' neighbouring hosts merge into one element
        assertThat(config).contains("""
                    map v_ALL_1_ipv4 {
                        type ipv4_addr . ipv4_addr . inet_proto . inet_service : verdict
                        flags interval
                        counter
                        elements = {
                            192.0.2.0/28 . 203.0.113.10/31 . tcp . 80 comment "c_web p/web" : accept,
                            192.0.2.0/28 . 203.0.113.10/31 . tcp . 443 comment "c_web p/web" : accept,
                            192.0.2.0/28 . 203.0.113.10/31 . tcp . 8000-8080 comment "c_web p/web" : accept,
                            198.51.100.0/24 . 0.0.0.0/0 . tcp . 80 comment "c_deny p/deny" : drop,
                            198.51.100.0/24 . 0.0.0.0/0 . tcp . 443 comment "c_deny p/deny" : drop,
                            198.51.100.0/24 . 0.0.0.0/0 . tcp . 8000-8080 comment "c_deny p/deny" : drop
                        }
                    }
                """)
                // no region restricts the source port: the key leaves it out; one lookup, no counter map
                .contains("        ip saddr . ip daddr . meta l4proto . th dport vmap @v_ALL_1_ipv4\n")
                .doesNotContain("map n_").doesNotContain("counter name ip saddr")
                // a match without services needs no ports: it stays a rule of its own and ends the run
                .contains("ip saddr @g_clients counter name c_rest drop\n")
                .contains("map v_ALL_2_ipv6 {").contains("2001:db8:2::/64 . udp . 53 comment \"c_dns-ipv6 p/dns\" : accept")
                .doesNotContain("@g_servers").doesNotContain("set s_WEB").doesNotContain("\"c_dns6");
        // the matches owning regions count on their elements; the linear one and dns6, whose regions
        // all lie under dns's, keep a named counter (dns6's stays at zero, as its rule's would)
        for (String match : java.util.List.of("rest", "dns6", "dns6-ipv6")) {
            assertThat(config).contains("counter c_" + match + " {");
        }
        for (String match : java.util.List.of("deny", "web", "dns", "dns-ipv6")) {
            assertThat(config).doesNotContain("counter c_" + match + " {");
        }
        assertThat(config.indexOf("vmap @v_ALL_1_ipv4")).isLessThan(config.indexOf("c_rest drop"));
        assertThat(config.indexOf("c_rest drop")).isLessThan(config.indexOf("vmap @v_ALL_2_ipv4"));
    }

    @Test
    void aMapKeysOnTheSourcePortWhereARegionRestrictsIt() {
        String config = compile("hv", "", """
                - {name: web, sources: [clients], destinations: [servers], services: [WEB], direction: bi, action: forward}
                """, 2);

        // the stateless bridge's reverse match comes from the servers' service ports
        assertThat(config).contains("type ipv4_addr . ipv4_addr . inet_proto . inet_service . inet_service : verdict")
                .contains("203.0.113.10/31 . 198.51.100.0/24 . tcp . 443 . 0-65535 comment \"c_web-reverse p/web reverse\" : accept,")
                .contains("198.51.100.0/24 . 203.0.113.10/31 . tcp . 0-65535 . 443 comment \"c_web p/web\" : accept,")
                .contains("ip saddr . ip daddr . meta l4proto . th sport . th dport vmap @v_ALL_1_ipv4");
    }

    @Test
    void shortRunsAndMonitoredOrStagedMatchesStayLinear() {
        String config = compile("router", """
                - {name: web, sources: [clients], destinations: [servers], services: [WEB], action: forward}
                - {name: dns, destinations: [servers], services: [DNS], action: forward}
                """);

        assertThat(NftablesRenderer.MAP_FROM).isGreaterThan(2);
        assertThat(config).doesNotContain("vmap").contains("set s_WEB {").contains("counter name c_web accept");
    }

    /**
     * 60 rules on single sources to any destination, then 60 on any source to single destinations:
     * every source meets every destination, 3,600 regions for 120 matches, over the bound; the run
     * renders linear, which is always correct.
     */
    @Test
    void aRunWhoseOverlapsMultiplyBeyondTheBoundStaysLinear() {
        StringBuilder groups = new StringBuilder();
        StringBuilder rules = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            groups.append("  - {name: h").append(i).append(", prefixes: [10.1.0.").append(i).append("]}\n");
            rules.append("- {name: src").append(i).append(", sources: [h").append(i).append("], services: [DNS], action: drop}\n");
        }
        for (int i = 0; i < 60; i++) {
            rules.append("- {name: dst").append(i).append(", destinations: [h").append(i).append("], services: [WEB], action: forward}\n");
        }
        String config = compile("router", groups.toString(), rules.toString(), 2);

        assertThat(config).doesNotContain("vmap").contains("counter name c_src0 drop").contains("counter name c_dst59 accept");
    }

    /** nft keeps 128 characters of an element's comment; a match whose counter name and rule would not fit stays a rule. */
    @Test
    void aMatchWhoseElementCommentWouldNotFitStaysLinear() {
        String longName = "w".repeat(64);
        String config = compile("router", "", """
                - {name: deny, sources: [clients], services: [WEB], action: drop}
                - {name: dns, destinations: [servers], services: [DNS], action: forward}
                - {name: %s, sources: [admins], services: [WEB], action: forward}
                """.formatted(longName), 2);

        assertThat(config).contains("comment \"c_deny p/deny\" : drop")
                .contains("counter name c_" + longName + " accept").contains("counter c_" + longName + " {");
    }

    private static String compile(String device, String rules) {
        return compile(device, "", rules, NftablesRenderer.MAP_FROM);
    }

    private static String compile(String device, String groups, String rules, int mapFrom) {
        String yaml = BASE.replace("groups:\n", "groups:\n" + groups)
                + "policies:\n  - name: p\n    domain: dc\n    rules:\n" + rules.indent(6);
        LoadedPolicy loaded = PolicyLoader.loadString("test.yaml", yaml);
        assertThat(loaded.errors()).as(yaml).isEmpty();
        return new NftablesRenderer(mapFrom).render(DevicePlanner.plan(loaded.model(), device).orElseThrow());
    }
}
