package dev.septum.model.validate;

import static dev.septum.model.TestPolicies.WORLD;
import static dev.septum.model.TestPolicies.at;
import static dev.septum.model.TestPolicies.error;
import static dev.septum.model.TestPolicies.errors;
import static dev.septum.model.TestPolicies.load;
import static dev.septum.model.TestPolicies.loadWithWorld;
import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.model.load.LoadedPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Names become EOS/nftables identifiers and descriptions become '!!' lines, so anything that could
 * end a CLI line or start a new one must be refused before a renderer sees it.
 */
class NamesTest {

    /** The YAML double-quoted form of each bad name, and the start of the problem reported. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            web\\nserver | contains a control character
            web\\r       | contains a control character
            bell\\a      | contains a control character
            tab\\tx      | contains a control character
            web!         | 'web!' has characters EOS and nftables reject
            !web         | '!web' has characters EOS and nftables reject
            web servers  | 'web servers' has characters EOS and nftables reject
            -web         | '-web' has characters EOS and nftables reject
            web;exit     | 'web;exit' has characters EOS and nftables reject
            """)
    void groupNameThatCouldBreakACliLineIsRefused(String quoted, String problem) {
        String yaml = "groups:\n  - name: \"" + quoted + "\"\n    prefixes: [10.0.0.0/24]\n";

        Diagnostic d = error(load(yaml), problem);
        assertThat(d.field()).isEqualTo("name");
        assertThat(d.at().line()).isEqualTo(2);
        assertThat(d.at().column()).isEqualTo(11);
        assertThat(d.fix()).isEqualTo("rename it using letters, digits, '_', '-' and '.'");
    }

    @Test
    void nameLongerThan64CharactersIsRefused() {
        String name = "g".repeat(65);

        LoadedPolicy loaded = load("groups:\n  - name: " + name + "\n    prefixes: [10.0.0.0/24]\n");

        assertThat(error(loaded, "characters long").problem()).isEqualTo("is 65 characters long; the limit is 64");
        assertThat(errors(load("groups:\n  - name: " + "g".repeat(64) + "\n    prefixes: [10.0.0.0/24]\n"))).isEmpty();
    }

    @Test
    void diagnosticAboutANameWithANewlineStaysOnOneLine() {
        LoadedPolicy loaded = load("groups:\n  - name: \"web\\nerror: forged\"\n    prefixes: [10.0.0.0/24]\n");

        assertThat(errors(loaded)).singleElement().satisfies(line -> {
            assertThat(line).doesNotContain("\n");
            assertThat(line).contains("group 'web\\nerror: forged'");
        });
    }

    @Test
    void ruleNameWithABangIsRefusedAtTheRule() {
        String policies = """
                policies:
                  - name: p
                    domain: campus
                    rules:
                      - name: allow!
                        action: forward
                """;

        assertThat(errors(loadWithWorld(policies))).containsExactly(at(WORLD + policies, "allow!")
                + ": error: rule 'allow!' in policy 'p', field 'name': 'allow!' has characters EOS and nftables "
                + "reject; names start with a letter or digit and use only letters, digits, '_', '-' and '.'. "
                + "Fix: rename it using letters, digits, '_', '-' and '.'");
    }

    @Test
    void descriptionsWithLineBreaksAreRefusedOnPoliciesAndRules() {
        String policies = """
                policies:
                  - name: p
                    domain: campus
                    description: "first\\nsecond"
                    rules:
                      - name: r
                        description: "one\\u2028two"
                        action: forward
                """;

        LoadedPolicy loaded = loadWithWorld(policies);

        assertThat(loaded.errors()).extracting(Diagnostic::object, Diagnostic::field).containsExactly(
                org.assertj.core.groups.Tuple.tuple("policy 'p'", "description"),
                org.assertj.core.groups.Tuple.tuple("rule 'r' in policy 'p'", "description"));
        assertThat(loaded.errors()).allSatisfy(d -> {
            assertThat(d.problem()).isEqualTo("contains a line break or control character, which would start a new CLI line");
            assertThat(d.fix()).isEqualTo("write the description on one line of at most 240 characters");
        });
    }

    @Test
    void oneLineDescriptionWithBangsIsFine() {
        String policies = """
                policies:
                  - name: p
                    domain: campus
                    description: "Web tier! Owner: team-a"
                """;

        assertThat(errors(loadWithWorld(policies))).isEmpty();
    }

    @Test
    void descriptionLongerThan240CharactersIsRefused() {
        String policies = "policies:\n  - name: p\n    domain: campus\n    description: " + "d".repeat(241) + "\n";

        assertThat(error(loadWithWorld(policies), "characters long").problem())
                .isEqualTo("is 241 characters long; the limit is 240");
    }

    @Test
    void vrfAndCategoryNamesFollowTheNameRules() {
        String yaml = """
                domains:
                  - name: dc
                    vrfs: ["red blue"]
                groups:
                  - name: g
                    prefixes: [10.0.0.0/24]
                    categories:
                      app: "billing!"
                """;

        assertThat(load(yaml).errors()).extracting(Diagnostic::object, Diagnostic::field).containsExactly(
                org.assertj.core.groups.Tuple.tuple("domain 'dc'", "vrfs"),
                org.assertj.core.groups.Tuple.tuple("group 'g'", "categories"));
    }
}
