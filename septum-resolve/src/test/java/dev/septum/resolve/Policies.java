package dev.septum.resolve;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import java.nio.file.Files;
import java.nio.file.Path;

/** A one-router nftables policy around the groups a test gives, written to a directory and built. */
final class Policies {
    private Policies() {
    }

    static Path write(Path dir, String groups) throws java.io.IOException {
        Files.writeString(dir.resolve("policy.yaml"), """
                domains: [{name: dc, devices: [router], vrfs: [ALL]}]
                devices: [{name: router, platform: nftables}]
                groups:
                  - {name: clients, prefixes: [192.0.2.0/24]}
                """ + groups + """
                services: [{name: WEB, protocol: tcp, destination: 443}]
                policies:
                  - name: p
                    domain: dc
                    vrf: ALL
                    rules:
                      - {name: web, sources: [clients], destinations: [dyn], services: [WEB], action: forward}
                """);
        return dir;
    }

    static PolicyBuild build(Path dir, SourceResolver resolver) {
        return PolicyBuild.of(PolicySource.directory(dir), resolver);
    }
}
