package dev.septum.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.septum.compile.pipeline.GroupResolver;
import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.PolicySource;
import dev.septum.compile.pipeline.ResolutionSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stored snapshot replays to the same build, without the source; a damaged one is refused by name. */
class SnapshotJsonTest {
    @TempDir
    Path dir;

    @Test
    void aStoredSnapshotReplaysToTheSameConfigsAfterTheSourceIsGone() throws Exception {
        Files.writeString(dir.resolve("m.csv"), "address,role\n198.51.100.7,db\n2001:db8::7,db\n");
        Policies.write(dir, "  - {name: dyn, source: {kind: file, path: m.csv}}\n");
        PolicyBuild first = Policies.build(dir, new SourceResolver(dir, n -> Optional.empty(),
                Clock.systemUTC()));
        String stored = SnapshotJson.write(first.resolution());
        Files.delete(dir.resolve("m.csv"));

        ResolutionSnapshot read = SnapshotJson.read(stored);
        PolicyBuild replayed = PolicyBuild.of(PolicySource.directory(dir), GroupResolver.replay(read));

        assertThat(read).isEqualTo(first.resolution());
        assertThat(replayed.hash()).isEqualTo(first.hash());
        assertThat(replayed.resolution().groups().get("dyn").members().getFirst().categories()).containsEntry("role", "db");
    }

    @Test
    void aDamagedSnapshotIsRefusedNamingTheGroupAndField() {
        assertThatThrownBy(() -> SnapshotJson.read("{\"takenAt\": \"2026-12-06T01:00:00Z\", \"groups\": [{\"group\": \"web\", "
                + "\"source\": \"dns\", \"members\": [{\"prefix\": \"10.0.0.5/24\"}]}]}"))
                .hasMessage("group 'web', field members: '10.0.0.5/24' is not a prefix");
        assertThatThrownBy(() -> SnapshotJson.read("{")).hasMessageStartingWith("the stored resolution is not JSON");
    }
}
