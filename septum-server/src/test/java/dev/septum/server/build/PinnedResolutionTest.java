package dev.septum.server.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.resolve.SourceResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refresh workspace's snapshot, with real member files: groups whose source is as the refreshed
 * version defined it keep the snapshot's members whatever the files say now; a group whose source
 * a person changed, or added, is read again.
 */
class PinnedResolutionTest {
    private static final String POLICY = """
            domains: [{name: dc, devices: [router], vrfs: [ALL]}]
            devices: [{name: router, platform: nftables}]
            groups:
              - {name: clients, prefixes: [192.0.2.0/24]}
              - name: web
                source: {kind: file, path: web.csv}
            %s
            services: [{name: https, protocol: tcp, destination: 443}]
            policies:
              - name: edge
                domain: dc
                vrf: ALL
                rules:
                  - {name: clients-to-web, sources: [clients], destinations: [web], services: [https], action: forward}
            """;

    @TempDir
    Path dir;

    private static String members(PolicyBuild b, String group) {
        return b.model().groups().get(group).members().toString();
    }

    @Test
    void unchangedSourcesKeepTheSnapshotAndChangedOrNewOnesAreAsked() throws Exception {
        Files.writeString(dir.resolve("web.csv"), "address\n198.51.100.10\n");
        Files.writeString(dir.resolve("db.csv"), "address\n198.51.100.30\n");
        SourceResolver sources = SourceResolver.forDirectory(dir);
        Map<String, String> refreshed = Map.of("policy.yaml", POLICY.formatted(""));
        PolicyBuild atRefresh = PolicyFiles.build(refreshed, sources);
        assertThat(members(atRefresh, "web")).contains("198.51.100.10");

        Files.writeString(dir.resolve("web.csv"), "address\n198.51.100.11\n");
        Files.writeString(dir.resolve("other.csv"), "address\n198.51.100.12\n");
        var pinned = PinnedResolution.of(atRefresh.resolution(), atRefresh.intent(), sources);

        assertThat(members(PolicyFiles.build(refreshed, pinned), "web")).as("as the refresh saw it")
                .contains("198.51.100.10").doesNotContain("198.51.100.11");
        PolicyBuild added = PolicyFiles.build(Map.of("policy.yaml", POLICY.formatted("  - name: db\n    source: {kind: file, path: db.csv}")), pinned);
        assertThat(members(added, "web")).contains("198.51.100.10").doesNotContain("198.51.100.11");
        assertThat(members(added, "db")).as("a group the refresh did not see is asked").contains("198.51.100.30");
        PolicyBuild moved = PolicyFiles.build(Map.of("policy.yaml", POLICY.formatted("").replace("path: web.csv", "path: other.csv")),
                pinned);
        assertThat(members(moved, "web")).as("a source a person changed is asked").contains("198.51.100.12")
                .doesNotContain("198.51.100.10");
    }
}
