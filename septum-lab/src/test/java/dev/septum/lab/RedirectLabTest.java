package dev.septum.lab;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab builds no namespace for a redirect's next hops yet, so a lab whose policy device redirects
 * cannot replay it: opening the lab fails before any namespace exists, naming what is missing and the
 * fix, instead of enforcing a ruleset whose redirect leads nowhere.
 */
class RedirectLabTest {
    @Test
    void aPolicyDeviceThatRedirectsIsRefusedUntilTheLabBuildsNextHops(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("policy.yaml"), """
                domains: [{name: d, devices: [sw], vrfs: [ALL]}]
                devices: [{name: sw, platform: eos}]
                groups: [{name: lan, prefixes: [10.0.0.0/24]}]
                redirects: [{name: fw, next-hops: [10.0.0.254], router-port: fw0}]
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
                .hasMessageContaining("the Linux lab-router would redirect for sw, which the lab cannot replay yet")
                .hasMessageContaining("Fix: make the rule drop or forward in the lab's policy");
    }
}
