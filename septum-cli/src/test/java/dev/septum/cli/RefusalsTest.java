package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 19: a policy a device cannot enforce is refused by every command alike, with the same
 * message and the same exit code (before, an nftables device in two VRFs, which it could not enforce then, passed validate, failed
 * compile, crashed diff with exit 70 and passed check).
 */
class RefusalsTest {
    @TempDir
    static Path tmp;

    private static final String NFT_DEVICE = """
            devices: [{name: linux1, platform: nftables}]
            groups:
              - {name: lan, prefixes: [192.0.2.0/24]}
              - {name: srv, prefixes: [198.51.100.0/24]}
            """;

    /** name, policy YAML, the words the one refusal carries */
    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("nftables-vrf-name", NFT_DEVICE + """
                        domains: [{name: d, devices: [linux1], vrfs: [blue, red-and-more-red]}]
                        policies:
                          - {name: pb, domain: d, vrf: blue, rules: [{name: a, sources: [lan], action: drop}]}
                          - {name: pr, domain: d, vrf: red-and-more-red, rules: [{name: b, sources: [srv], action: drop}]}
                        """, "device 'linux1', field 'platform': VRF 'red-and-more-red' is told apart by its Linux VRF "
                        + "device, whose name has at most 15 characters"),
                Arguments.of("nftables-redirect", NFT_DEVICE + """
                        domains: [{name: d, devices: [linux1], vrfs: [ALL]}]
                        redirects: [{name: fw, next-hops: [192.0.2.1]}]
                        policies:
                          - {name: p, domain: d, rules: [{name: to-fw, sources: [lan], action: redirect, redirect: fw}]}
                        """, "rule 'to-fw' in policy 'p', field 'action': redirects to 'fw' on device 'linux1', but "
                        + "redirect 'fw' has no router-port, the router's interface toward its next hops. "
                        + "Fix: add 'router-port: <interface>' (e.g. eth1) to redirect 'fw'"),
                Arguments.of("nftables-bridge-redirect", """
                        devices: [{name: linux1, platform: nftables, tags: [bridge]}]
                        groups: [{name: lan, prefixes: [192.0.2.0/24]}]
                        domains: [{name: d, devices: [linux1], vrfs: [ALL]}]
                        redirects: [{name: fw, next-hops: [192.0.2.1], router-port: eth1}]
                        policies:
                          - {name: p, domain: d, rules: [{name: to-fw, sources: [lan], action: redirect, redirect: fw}]}
                        """, "redirects to 'fw' on device 'linux1', but a bridge table switches frames and cannot route "
                        + "them to the redirect's next hops"),
                Arguments.of("derived-name-collision", NFT_DEVICE + """
                        domains: [{name: d, devices: [linux1], vrfs: [ALL]}]
                        services:
                          - {name: WEB, protocol: tcp, destination: 80}
                          - {name: WEB-reverse, protocol: tcp, destination: 8080}
                        policies:
                          - name: p
                            domain: d
                            rules:
                              - {name: a, services: [WEB], direction: bi, action: forward}
                              - {name: b, services: [WEB-reverse], action: forward}
                        """, "service 'WEB-reverse', field 'name': field-set 'WEB-reverse' would hold both"));
    }

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        for (Arguments refusal : refusals().toList()) {
            String name = (String) refusal.get()[0];
            Path dir = Files.createDirectories(tmp.resolve(name));
            Files.writeString(dir.resolve("policy.yaml"), (String) refusal.get()[1]);
            String d = dir.toString();
            for (String[] command : List.of(
                    new String[] {"validate", d},
                    new String[] {"compile", d},
                    new String[] {"check", d},
                    new String[] {"diff", d, d},
                    new String[] {"trace", d, "--src", "192.0.2.7", "--dst", "198.51.100.9", "--proto", "tcp", "--dport", "80"},
                    new String[] {"reach", d},
                    new String[] {"lab", "run", d})) {
                cases.add(Arguments.of(name, String.join(" ", command).replace(d, "DIR"), command, refusal.get()[2]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: septum {1}")
    @MethodSource("cases")
    void everyCommandRefusesWithTheSameMessageAndExitCode(String refusal, String shown, String[] command, String message) {
        CliRun run = CliRun.of(command);

        assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.POLICY_ERRORS);
        assertThat(run.out() + run.err()).contains(message);
    }
}
