package dev.septum.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.pipeline.PolicyBuild;
import dev.septum.compile.pipeline.ResolutionSnapshot.Member;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** file sources in JSON, YAML and CSV, changed between builds; push sources outside the server. */
class FileSourceTest {
    @TempDir
    Path dir;

    private static final class SteppedClock extends Clock {
        Instant now = Instant.parse("2026-12-06T01:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private PolicyBuild build(SourceResolver resolver, String path) throws Exception {
        Policies.write(dir, """
                  - name: dyn
                    source: {kind: file, path: %s}
                """.formatted(path));
        return Policies.build(dir, resolver);
    }

    private SourceResolver resolver(Clock clock) {
        return new SourceResolver(dir, name -> Optional.empty(), clock);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            members.json | [\"198.51.100.7\", {\"address\": \"203.0.113.0/28\", \"categories\": {\"role\": \"db\"}}]
            members.yaml | [198.51.100.7, {address: 203.0.113.0/28, categories: {role: db}}]
            members.csv  | address,role\\n198.51.100.7,\\n203.0.113.0/28,db\\n
            """)
    void everyFormatGivesTheSameMembersAndCategories(String file, String text) throws Exception {
        Files.createDirectories(dir.resolve("m"));
        Files.writeString(dir.resolve("m").resolve(file), text.replace("\\n", "\n"));

        PolicyBuild build = build(resolver(Clock.systemUTC()), "m/" + file);

        assertThat(build.errors()).isEmpty();
        assertThat(build.resolution().groups().get("dyn").members()).extracting(m -> m.prefix().toString(), Member::categories)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("198.51.100.7/32", Map.of()),
                        org.assertj.core.groups.Tuple.tuple("203.0.113.0/28", Map.of("role", "db")));
    }

    @Test
    void aChangedFileIsReadByTheNextBuildAndABrokenOneKeepsTheLastGoodMembers() throws Exception {
        SteppedClock clock = new SteppedClock();
        SourceResolver resolver = resolver(clock);
        Path file = dir.resolve("hosts.csv");
        Files.writeString(file, "address\n198.51.100.7\n");
        assertThat(build(resolver, "hosts.csv").model().groups().get("dyn").members()).hasSize(1);

        Files.writeString(file, "address\n198.51.100.7\n198.51.100.8\n");
        clock.now = clock.now.plus(Duration.ofMinutes(3));
        assertThat(build(resolver, "hosts.csv").model().groups().get("dyn").members()).hasSize(2);

        Files.writeString(file, "address\n198.51.100.7\n198.51.100.999\n");
        clock.now = clock.now.plus(Duration.ofMinutes(2));
        PolicyBuild broken = build(resolver, "hosts.csv");

        assertThat(broken.model().groups().get("dyn").members()).hasSize(2);
        assertThat(broken.diagnostics()).anySatisfy(d -> assertThat(d.format()).contains(
                "failed (hosts.csv line 3: '198.51.100.999' is not an IPv4 or IPv6 address or prefix); "
                        + "the members of its last good answer, 2m old, are kept"));
    }

    @Test
    void aPrefixWithHostBitsIsRefusedNotWidened() throws Exception {
        Files.writeString(dir.resolve("m.json"), "[\"10.0.0.5/24\"]");

        PolicyBuild build = build(resolver(Clock.systemUTC()), "m.json");

        assertThat(build.errors()).singleElement().satisfies(d -> assertThat(d.problem()).isEqualTo(
                "has never resolved: m.json item 0 field address: '10.0.0.5/24' has host bits set beyond the /24; "
                        .replace(" field address", "") + "set 'as-hosts: true' to take it as the host"));
    }

    @Test
    void aMissingFileOrAMissingColumnIsNamed() throws Exception {
        assertThat(build(resolver(Clock.systemUTC()), "none.csv").errors().getFirst().problem())
                .isEqualTo("has never resolved: none.csv does not exist in " + dir);

        Files.writeString(dir.resolve("m.csv"), "ip,role\n10.0.0.5,db\n");
        assertThat(build(resolver(Clock.systemUTC()), "m.csv").errors().getFirst().problem())
                .startsWith("has never resolved: m.csv has no 'address' column");
    }

    /** The parser's own message quotes what it choked on; a file that is not a member list may hold a secret. */
    @Test
    void aFileThatDoesNotParseIsReportedByPositionNeverByItsText() throws Exception {
        Files.writeString(dir.resolve("m.json"), "\n  hunter2-secret-token\n");

        String problem = build(resolver(Clock.systemUTC()), "m.json").errors().getFirst().problem();

        assertThat(problem).isEqualTo("has never resolved: m.json is not valid json: cannot be parsed at line 2, column 3")
                .doesNotContain("hunter2");
    }

    @Test
    void aPushGroupOutsideTheServerHasNeverResolved() throws Exception {
        Policies.write(dir, "  - {name: dyn, source: {kind: push}}\n");

        PolicyBuild build = Policies.build(dir, resolver(Clock.systemUTC()));

        assertThat(build.errors()).singleElement().satisfies(d -> assertThat(d.problem()).isEqualTo(
                "has never resolved: nothing has been pushed for it (a server takes pushes: PUT /api/groups/dyn/members)"));
    }
}
