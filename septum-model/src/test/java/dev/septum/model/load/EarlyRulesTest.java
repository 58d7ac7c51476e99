package dev.septum.model.load;

import static dev.septum.model.TestPolicies.loadWithWorld;
import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.model.Policy;
import dev.septum.model.Rule;
import dev.septum.model.TestPolicies;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Rules read while their file is composed ({@link EarlyRules}) come out exactly as rules read from
 * the composed tree: the same policy is loaded once as written and once with its rules list
 * anchored ({@code rules: &all}), which keeps the list in the tree; the anchor moves no rule's line
 * or column, so rules and diagnostics must be equal.
 */
class EarlyRulesTest {
    /** Rules with errors of every kind a rule reports, flow and block style, own modes, a non-mapping item. */
    private static final String RULES = """
                  - name: ok
                    sources: [web]
                    destinations: [db]
                    services: [web-tls]
                    action: forward
                  - {name: flow, destinations: [db], action: drop, direction: bi}
                  - name: own-mode
                    destinations: [db]
                    action: forward
                    mode: enforced
                  - name: bad
                    destinations: [any, db]
                    action: redirect
                    direction: sideways
                    colour: blue
                    expires: 2027-02-30
                    mode: sometimes
                  - destinations: [db]
                    action: forward
                  - just-a-word
                  - name: unknown-ref
                    sources: [nowhere]
                    action: drop
            """;

    private static String policy(String rulesKey, String before, String after) {
        return "policies:\n  - name: p\n    domain: campus\n" + before + "    " + rulesKey + "\n" + RULES + after;
    }

    private static void assertSameAsFromTheTree(String before, String after) {
        LoadedPolicy early = loadWithWorld(policy("rules:", before, after));
        LoadedPolicy fromTree = loadWithWorld(policy("rules: &all", before, after));

        assertThat(early.diagnostics()).isNotEmpty().isEqualTo(fromTree.diagnostics());
        assertThat(early.model().policies()).isEqualTo(fromTree.model().policies());
        assertThat(rules(early)).extracting(Rule::name).containsExactly("ok", "flow", "own-mode", "unknown-ref");
    }

    private static List<Rule> rules(LoadedPolicy loaded) {
        return loaded.model().policies().values().stream().map(Policy::rules).findFirst().orElseThrow();
    }

    @Test
    void rulesReadEarlyEqualRulesReadFromTheTree() {
        assertSameAsFromTheTree("", "");
    }

    @Test
    void aPolicyModeWrittenBeforeOrAfterItsRulesStagesTheRulesWithoutAModeOfTheirOwn() {
        assertSameAsFromTheTree("    mode: staged\n", "");
        assertSameAsFromTheTree("", "    mode: staged\n");

        LoadedPolicy stagedAfter = loadWithWorld(policy("rules:", "", "    mode: staged\n"));
        assertThat(rules(stagedAfter)).extracting(r -> r.name() + "=" + r.lifecycle().staged())
                .containsExactly("ok=true", "flow=true", "own-mode=false", "unknown-ref=true");
    }

    @Test
    void onlyAPolicysRuleItemsWithItsNameWrittenFirstAreReadEarly() {
        String text = TestPolicies.WORLD + policy("rules:", "", "");
        ComposedYaml composed = ComposedYaml.of("p.yaml", text);

        List<Node> items = rulesItems(composed.root().orElseThrow());
        assertThat(items).filteredOn(n -> composed.earlyRules().readFor(n).isPresent()).hasSize(6);
        assertThat(items).filteredOn(n -> composed.earlyRules().readFor(n).isEmpty())
                .singleElement().isInstanceOf(ScalarNode.class);

        ComposedYaml nameLast = ComposedYaml.of("p.yaml",
                "policies:\n  - domain: campus\n    rules:\n" + RULES + "    name: p\n");
        assertThat(rulesItems(nameLast.root().orElseThrow()))
                .allSatisfy(n -> assertThat(nameLast.earlyRules().readFor(n)).isEmpty());
    }

    @Test
    void aPolicyNamedAfterItsRulesIsReadAsBefore() {
        LoadedPolicy nameLast = loadWithWorld("policies:\n  - domain: campus\n    rules:\n" + RULES + "    name: p\n");

        assertThat(TestPolicies.errors(nameLast)).anySatisfy(e -> assertThat(e).contains("rule 'bad' in policy 'p'"));
        assertThat(rules(nameLast)).extracting(Rule::name).containsExactly("ok", "flow", "own-mode", "unknown-ref");
    }

    @Test
    void rulesHandedOverToAWaitingReaderAreReadAsTheComposingThreadReadsThem() throws InterruptedException {
        String text = TestPolicies.WORLD + policy("rules:", "", "    mode: staged\n");
        ComposedYaml readWhileComposing = ComposedYaml.of("p.yaml", text);
        EarlyRules handedOver = EarlyRules.handedOver("p.yaml");
        Thread reader = Thread.ofPlatform().start(handedOver::readHandedOver);
        ComposedYaml composed = ComposedYaml.of(text, handedOver);
        reader.join();

        assertThat(rulesItems(composed.root().orElseThrow())).extracting(n -> handedOver.readFor(n).orElse(null))
                .containsExactlyElementsOf(rulesItems(readWhileComposing.root().orElseThrow()).stream()
                        .map(n -> readWhileComposing.earlyRules().readFor(n).orElse(null)).toList())
                .filteredOn(java.util.Objects::nonNull).hasSize(6);
    }

    @Test
    void aDirectoryWhoseRulesFileIsComposedOnTheSecondThreadLoadsAsFromTheTree() {
        java.util.function.Function<String, LoadedPolicy> load = rulesKey -> PolicyLoader.loadFiles("dir", java.util.Map.of(
                "a-world.yaml", TestPolicies.WORLD,
                "b-rules.yaml", policy(rulesKey, "", "") + RULES.repeat(20).replace("name: ", "name: x")));
        LoadedPolicy early = load.apply("rules:");
        LoadedPolicy fromTree = load.apply("rules: &all");

        assertThat(early.diagnostics()).isNotEmpty().isEqualTo(fromTree.diagnostics());
        assertThat(early.model().policies()).isEqualTo(fromTree.model().policies());
    }

    private static List<Node> rulesItems(Node root) {
        Node policies = value((MappingNode) root, "policies");
        Node rules = value((MappingNode) ((SequenceNode) policies).getValue().getFirst(), "rules");
        return ((SequenceNode) rules).getValue();
    }

    private static Node value(MappingNode mapping, String key) {
        return mapping.getValue().stream().filter(t -> ((ScalarNode) t.getKeyNode()).getValue().equals(key))
                .map(NodeTuple::getValueNode).findFirst().orElseThrow();
    }
}
