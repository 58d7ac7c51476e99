package dev.septum.server.build;

import static dev.septum.server.DynamicGroupsServerTest.POLICY;
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
    @TempDir
    Path dir;

    private static String members(PolicyBuild b, String group) {
        return b.model().groups().get(group).members().toString();
    }

    @Test
    void unchangedSourcesKeepTheSnapshotAndChangedOrNewOnesAreAsked() throws Exception {
        Path members = Files.createDirectories(dir.resolve("members"));
        Files.writeString(members.resolve("web.csv"), "address\n198.51.100.10\n");
        Files.writeString(members.resolve("db.csv"), "address\n198.51.100.30\n");
        SourceResolver sources = SourceResolver.forDirectory(dir);
        Map<String, String> refreshed = Map.of("policy.yaml", POLICY);
        PolicyBuild atRefresh = PolicyFiles.build(refreshed, sources);
        assertThat(members(atRefresh, "web")).contains("198.51.100.10");

        Files.writeString(members.resolve("web.csv"), "address\n198.51.100.11\n");
        Files.writeString(members.resolve("other.csv"), "address\n198.51.100.12\n");
        var pinned = PinnedResolution.of(atRefresh.resolution(), atRefresh.intent(), sources);

        assertThat(members(PolicyFiles.build(refreshed, pinned), "web")).as("as the refresh saw it")
                .contains("198.51.100.10").doesNotContain("198.51.100.11");
        PolicyBuild added = PolicyFiles.build(Map.of("policy.yaml", POLICY.replace("\nservices:",
                "\n  - name: db\n    source: {kind: file, path: members/db.csv}\nservices:")), pinned);
        assertThat(added.ok()).as(added.diagnostics().toString()).isTrue();
        assertThat(members(added, "web")).contains("198.51.100.10").doesNotContain("198.51.100.11");
        assertThat(members(added, "db")).as("a group the refresh did not see is asked").contains("198.51.100.30");
        PolicyBuild moved = PolicyFiles.build(Map.of("policy.yaml", POLICY.replace("path: members/web.csv", "path: members/other.csv")),
                pinned);
        assertThat(members(moved, "web")).as("a source a person changed is asked").contains("198.51.100.12")
                .doesNotContain("198.51.100.10");
    }
}
