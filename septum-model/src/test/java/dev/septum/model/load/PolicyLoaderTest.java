package dev.septum.model.load;

import static dev.septum.model.TestPolicies.at;
import static dev.septum.model.TestPolicies.error;
import static dev.septum.model.TestPolicies.errors;
import static dev.septum.model.TestPolicies.load;
import static dev.septum.model.TestPolicies.loadWithWorld;
import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.model.Platform;
import dev.septum.model.TestPolicies;
import dev.septum.model.validate.Diagnostic;
import org.junit.jupiter.api.Test;

/** How the loader reports structural problems: syntax, unknown and duplicate keys, missing fields. */
class PolicyLoaderTest {

    @Test
    void theTestWorldLoadsWithoutAnyDiagnostic() {
        LoadedPolicy loaded = load(TestPolicies.WORLD);

        assertThat(loaded.diagnostics()).isEmpty();
        assertThat(loaded.model().devices().get("mon1").platform()).isEqualTo(Platform.NFTABLES);
        assertThat(loaded.model().groups()).containsOnlyKeys("web", "db", "web6", "dual");
    }

    @Test
    void yamlSyntaxErrorNamesTheFileAndPosition() {
        String yaml = """
                groups:
                  - name: web
                    prefixes: [10.0.0.0/24
                  - name: db
                """;

        LoadedPolicy loaded = load(yaml);

        Diagnostic d = error(loaded, "is not valid YAML");
        assertThat(d.object()).isEqualTo("file");
        // the flow list is never closed, so the parser stops at the ':' of the next item
        assertThat(d.at().line()).isEqualTo(4);
        assertThat(d.at().column()).isEqualTo(9);
        assertThat(d.format()).startsWith("p.yaml:4:9: error: file: is not valid YAML: ")
                .endsWith("Fix: fix the YAML syntax at this position");
    }

    /** A newcomer's broken objects file: its parse error, not one "no group is named" per rule using its groups. */
    @Test
    void aFileThatFailsToParseExplainsTheReferencesToItsNames() {
        LoadedPolicy loaded = PolicyLoader.loadFiles("dir", java.util.Map.of(
                "inventory.yaml", """
                        domains: [{name: dc, devices: [sw], vrfs: [ALL]}]
                        devices: [{name: sw, platform: eos}]
                        """,
                "objects.yaml", """
                        groups:
                          - name: web
                            prefixes: [10.0.0.0/24
                          - name: db
                            prefixes: [10.0.1.0/24]
                        """,
                "policies.yaml", """
                        policies:
                          - name: p
                            domain: dc
                            rules:
                              - {name: a, sources: [web], destinations: [db], action: drop}
                              - {name: b, sources: [db], destinations: [web], action: drop}
                              - {name: c, sources: [nowhere], action: drop}
                        """));

        assertThat(loaded.diagnostics()).extracting(Diagnostic::format).satisfiesExactly(
                parse -> assertThat(parse).startsWith("objects.yaml:4:9: error: file: is not valid YAML"),
                note -> assertThat(note).startsWith("objects.yaml:4:9: warning: file: references to db, web were not checked"),
                unexplained -> assertThat(unexplained).contains("no group is named 'nowhere'"));
    }

    @Test
    void anInvalidPrefixIsReportedAloneNotAsAnEmptyGroupBeforeIt() {
        LoadedPolicy loaded = load("""
                groups:
                  - name: web
                    prefixes: [10.0.0.300/24]
                """);

        assertThat(loaded.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.severity()).isEqualTo(dev.septum.model.validate.Severity.ERROR);
            assertThat(d.field()).isEqualTo("prefixes");
            assertThat(d.problem()).contains("10.0.0.300");
        });
    }

    @Test
    void unknownFieldIsReportedAtTheKeyWithTheClosestKnownField() {
        String policies = """
                policies:
                  - name: p
                    domain: campus
                    rules:
                      - name: r
                        sorces: [web]
                        action: forward
                """;

        LoadedPolicy loaded = loadWithWorld(policies);

        assertThat(errors(loaded)).containsExactly(at(TestPolicies.WORLD + policies, "sorces")
                + ": error: rule 'r' in policy 'p', field 'sorces': is not a known field. Fix: did you mean 'sources'?");
    }

    @Test
    void unknownTopLevelSectionSuggestsTheSection() {
        String yaml = """
                group:
                  - name: web
                """;

        assertThat(errors(load(yaml))).containsExactly(
                "p.yaml:1:1: error: file p.yaml, field 'group': is not a known field. Fix: did you mean 'groups'?");
    }

    @Test
    void unknownFieldWithoutCloseMatchListsTheKnownFields() {
        String yaml = """
                redirects:
                  - name: fw
                    next-hops: [192.0.2.1]
                    vendor: paloalto
                """;

        Diagnostic d = error(load(yaml), "is not a known field");
        assertThat(d.object()).isEqualTo("redirect 'fw'");
        assertThat(d.field()).isEqualTo("vendor");
        assertThat(d.fix()).isEqualTo("known fields are name, next-hops, router-port");
        assertThat(d.at().line()).isEqualTo(4);
        assertThat(d.at().column()).isEqualTo(5);
    }

    @Test
    void duplicateObjectNamesPointAtBothDefinitions() {
        String yaml = """
                groups:
                  - name: web
                    prefixes: [10.0.1.0/24]
                  - name: web
                    prefixes: [10.0.2.0/24]
                """;

        assertThat(errors(load(yaml))).containsExactly(
                "p.yaml:4:11: error: group 'web', field 'name': is defined twice (first at p.yaml:2:11). "
                        + "Fix: rename one of them or merge the two definitions");
    }

    @Test
    void keyGivenTwiceInOneMappingIsReported() {
        String yaml = """
                groups:
                  - name: web
                    prefixes: [10.0.1.0/24]
                    prefixes: [10.0.2.0/24]
                """;

        Diagnostic d = error(load(yaml), "is given twice");
        assertThat(d.field()).isEqualTo("prefixes");
        assertThat(d.at().line()).isEqualTo(4);
        assertThat(d.fix()).isEqualTo("keep one of the two entries");
    }

    @Test
    void missingRequiredFieldNamesTheObjectAndHowToAddIt() {
        String yaml = """
                devices:
                  - name: leaf1
                    role: switch
                """;

        assertThat(errors(load(yaml))).containsExactly(
                "p.yaml:2:5: error: device 'leaf1', field 'platform': is missing. "
                        + "Fix: add 'platform: eos' or 'platform: nftables'");
    }

    @Test
    void misspeltKeywordSuggestsTheKeyword() {
        String yaml = """
                devices:
                  - name: leaf1
                    platform: eso
                """;

        assertThat(errors(load(yaml))).containsExactly(
                "p.yaml:3:15: error: device 'leaf1', field 'platform': 'eso' is not one of eos, nftables. "
                        + "Fix: did you mean 'eos'?");
    }

    @Test
    void listWhereOneValueBelongsIsReported() {
        String yaml = """
                devices:
                  - name: leaf1
                    platform: [eos, nftables]
                """;

        Diagnostic d = error(load(yaml), "must be a single value");
        assertThat(d.object()).isEqualTo("device 'leaf1'");
        assertThat(d.field()).isEqualTo("platform");
        assertThat(d.at().line()).isEqualTo(3);
        assertThat(d.at().column()).isEqualTo(15);
    }

    @Test
    void reportsEveryErrorOfARunSortedByPosition() {
        String yaml = """
                devices:
                  - name: leaf1
                    platform: junos
                groups:
                  - name: web
                    prefixes: [10.0.0.1/24]
                policies:
                  - name: p
                    domain: nowhere
                    rules:
                      - name: r
                        action: allow
                """;

        LoadedPolicy loaded = load(yaml);

        assertThat(loaded.errors()).extracting(d -> d.at().line() + ":" + d.field())
                .containsExactly("3:platform", "6:prefixes", "9:domain", "12:action");
    }

    @Test
    void everyErrorCarriesAPositionAnObjectAndAFix() {
        String yaml = """
                domains:
                  - name: campus
                    devices: [leaf9]
                    vrfs: [ALL]
                groups:
                  - name: "bad name"
                    prefixes: [10.0.0.300]
                services:
                  - name: s
                    protocol: tcp
                    destination: 90-80
                policies:
                  - name: p
                    domain: campus
                    vrf: red
                    description: "two\\nlines"
                    rules:
                      - name: ipv4-all-default
                        sources: [any, web]
                        action: redirect
                """;

        LoadedPolicy loaded = load(yaml);

        assertThat(loaded.errors()).hasSizeGreaterThanOrEqualTo(8).allSatisfy(d -> {
            assertThat(d.at().line()).as(d.format()).isPositive();
            assertThat(d.at().column()).as(d.format()).isPositive();
            assertThat(d.object()).as(d.format()).isNotBlank();
            assertThat(d.field()).as(d.format()).isNotBlank();
            assertThat(d.fix()).as(d.format()).isNotBlank();
        });
    }
}
