package dev.septum.builder.tag;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.flows.IpAddr;
import dev.septum.flows.tag.SessionTags;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The seed's policy as tags: what the verification engine says, and a cache keyed by port class that never changes the answer. */
class PolicySessionTaggerTest {
    static final PolicyBuild SEED = PolicyBuild.of(PolicySource.directory(Path.of("..", "examples", "seed-lab")));

    @Test
    void tagsNameTheGroupsServicesAndTheDecidingRuleOfTheEnforcingDevice() {
        PolicySessionTagger t = PolicySessionTagger.of(SEED, Optional.empty(), "7").orElseThrow();
        assertThat(t.device()).isEqualTo("andreasm-720xp-home");
        SessionTags mgmtSsh = t.tag(6, IpAddr.parse("10.100.5.10"), 50008, IpAddr.parse("10.100.99.50"), 22);
        assertThat(mgmtSsh).isEqualTo(new SessionTags(List.of(), List.of("appserver1", "web-appserver1"), List.of("SSH"),
                "vrf_all_home", "drop_all_else_web-app", "drop_all_else_web-app-reverse", "drop", "7"));
        SessionTags dns = t.tag(17, IpAddr.parse("172.18.6.21"), 0, IpAddr.parse("10.100.1.6"), 53);
        assertThat(dns.rule()).isEqualTo("allow_all_DNS");
        assertThat(dns.services()).containsExactly("DNS");
        assertThat(dns.clientGroups()).containsExactly("wifi_clients");
        SessionTags outside = t.tag(6, IpAddr.parse("172.18.6.22"), 50007, IpAddr.parse("10.100.5.10"), 22);
        assertThat(outside.match()).isEqualTo("ipv4-all-default");
        assertThat(outside.verdict()).isEqualTo("forward");
        assertThat(outside.rule()).isEmpty();
        assertThat(PolicySessionTagger.of(SEED, Optional.of("nosuch"), "7")).isEmpty();
    }

    @Test
    void sctpSessionsAreMatchedByTheirPortsLikeTcpAndUdp() {
        PolicyBuild build = PolicyBuild.of(PolicySource.files("sctp.yaml", java.util.Map.of("sctp.yaml", """
                domains: [{name: d, devices: [sw], vrfs: [ALL]}]
                devices: [{name: sw, platform: eos}]
                groups:
                  - {name: enb, prefixes: [10.0.0.1]}
                  - {name: mme, prefixes: [10.0.0.2]}
                services:
                  - {name: s1ap, protocol: 132, destination: 36412}
                policies:
                  - name: p
                    domain: d
                    rules:
                      - {name: no-s1ap, sources: [enb], destinations: [mme], services: [s1ap], action: drop}
                """)));
        assertThat(build.errors()).isEmpty();
        PolicySessionTagger t = PolicySessionTagger.of(build, Optional.empty(), "1").orElseThrow();
        SessionTags s1ap = t.tag(132, IpAddr.parse("10.0.0.1"), 40000, IpAddr.parse("10.0.0.2"), 36412);
        assertThat(s1ap.services()).containsExactly("s1ap");
        assertThat(s1ap.rule()).isEqualTo("no-s1ap");
        assertThat(s1ap.verdict()).isEqualTo("drop");
        SessionTags other = t.tag(132, IpAddr.parse("10.0.0.1"), 40000, IpAddr.parse("10.0.0.2"), 2905);
        assertThat(other.services()).isEmpty();
        assertThat(other.verdict()).isEqualTo("forward");
    }

    @Test
    void anIcmpSessionKeepsNoTypeSoItsTagsClaimOnlyWhatHoldsForEveryType() {
        PolicyBuild build = PolicyBuild.of(PolicySource.files("p.yaml", java.util.Map.of("p.yaml", """
                domains: [{name: d, devices: [sw], vrfs: [ALL]}]
                devices: [{name: sw, platform: eos}]
                groups: [{name: clients, prefixes: [10.1.0.0/24]}, {name: servers, prefixes: [10.2.0.0/24]}]
                services:
                  - {name: ping, protocol: icmp, icmp-type: echo-request}
                  - {name: any-icmp, protocol: icmp}
                policies:
                  - name: p
                    domain: d
                    rules:
                      - {name: ping-servers, sources: [clients], destinations: [servers], services: [ping], action: forward}
                      - {name: no-icmp-to-servers, destinations: [servers], services: [any-icmp], action: drop}
                      - {name: no-icmp-to-clients, destinations: [clients], services: [any-icmp], action: drop}
                """)));
        assertThat(build.errors()).isEmpty();
        PolicySessionTagger t = PolicySessionTagger.of(build, Optional.empty(), "3").orElseThrow();

        SessionTags toServers = t.tag(1, IpAddr.parse("10.1.0.5"), 0, IpAddr.parse("10.2.0.5"), 0);
        assertThat(toServers.services()).as("any ICMP type is in any-icmp, not every type is a ping").containsExactly("any-icmp");
        assertThat(toServers.match()).isEqualTo(PolicySessionTagger.DEPENDS_ON_TYPE);
        assertThat(toServers.rule()).isEmpty();
        assertThat(toServers.verdict()).as("an echo request passes, other types are dropped").isEqualTo("unknown");

        SessionTags toClients = t.tag(1, IpAddr.parse("10.2.0.5"), 0, IpAddr.parse("10.1.0.5"), 0);
        assertThat(toClients.rule()).as("one rule decides every type").isEqualTo("no-icmp-to-clients");
        assertThat(toClients.verdict()).isEqualTo("drop");
    }

    @Test
    void theCacheByPortClassGivesEverySessionTheTagsWorkedOutForItAlone() {
        PolicySessionTagger t = PolicySessionTagger.of(SEED, Optional.empty(), "1").orElseThrow();
        // every port a seed service names, its neighbours, and some ephemeral ones
        List<Integer> ports = new ArrayList<>(List.of(0, 1, 21, 22, 23, 52, 53, 54, 79, 80, 81, 122, 123, 124, 1023, 1024,
                4566, 4567, 4568, 32768, 49152, 50000, 65535));
        // addresses of one group (web01, web02; two wifi clients) share their tags with the first of them traced
        List<String> addresses = List.of("172.18.6.20", "172.18.6.21", "10.100.99.50", "10.100.99.51", "10.100.99.52", "10.100.1.6",
                "10.100.5.10", "192.0.2.7", "2001:db8::7");
        List<int[]> cases = new ArrayList<>();
        for (int protocol : new int[] {6, 17, 132, 1}) {
            for (int a = 0; a < addresses.size(); a++) {
                for (int b = 0; b < addresses.size(); b++) {
                    for (int cp : ports) {
                        for (int sp : ports) {
                            cases.add(new int[] {protocol, a, cp, b, sp});
                        }
                    }
                }
            }
        }
        Collections.shuffle(cases, new Random(7)); // whichever port of a class comes first fills the cache
        for (int[] c : cases) {
            IpAddr client = IpAddr.parse(addresses.get(c[1]));
            IpAddr server = IpAddr.parse(addresses.get(c[3]));
            assertThat(t.tag(c[0], client, c[2], server, c[4])).as(java.util.Arrays.toString(c))
                    .isEqualTo(t.exact(c[0], client, c[2], server, c[4]));
        }
    }
}
