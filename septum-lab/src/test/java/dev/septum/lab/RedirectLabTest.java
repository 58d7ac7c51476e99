package dev.septum.lab;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No Linux device redirects, so a lab whose policy device redirects cannot replay it: opening the lab
 * fails before any namespace exists, naming the rule, its redirect object and the fix, instead of
 * enforcing a ruleset that would let the traffic through unredirected.
 */
class RedirectLabTest {
    @Test
    void aPolicyDeviceThatRedirectsIsRefusedNamingTheRule(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("policy.yaml"), """
                domains: [{name: d, devices: [sw], vrfs: [ALL]}]
                devices: [{name: sw, platform: eos}]
                groups: [{name: lan, prefixes: [10.0.0.0/24]}]
                redirects: [{name: fw, next-hops: [10.0.0.254]}]
                policies:
                  - {name: p, domain: d, rules: [{name: to-fw, sources: [lan], action: redirect, redirect: fw}]}
                """);
        Files.writeString(dir.resolve("lab.yaml"), """
                policy-device: sw
                router: {name: router, device: lab-router}
                subnets: [{name: lan, prefix: 10.0.0.0/24, gateway: 10.0.0.1}]
                hosts: [{name: a, subnet: lan, address: 10.0.0.5}]
                """);

        assertThatThrownBy(() -> Lab.open(dir, "sxr" + ProcessHandle.current().pid() + "-", line -> { }))
                .isInstanceOf(LabException.class)
                .hasMessageContaining("the Linux lab-router cannot stand in for sw")
                .hasMessageContaining("rule 'to-fw' in policy 'p', field 'action': redirects to 'fw', which device 'lab-router' "
                        + "(nftables) cannot do")
                .hasMessageContaining("enforce this policy on an EOS switch, or make the rule drop or forward");
    }
}
