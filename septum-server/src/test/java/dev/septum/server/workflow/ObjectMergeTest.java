package dev.septum.server.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.septum.server.workflow.ObjectMerge.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectMergeTest {
    private static final String BASE = """
            # shared policy file
            groups:
              - name: web
                prefixes: [10.0.0.1/32]
              - name: db
                prefixes: [10.0.1.0/24]
            policies:
              - name: p
                domain: lab
                rules:
                  - name: r1
                    services: [HTTP]
                    action: forward
                  # the catch-all stays last
                  - name: drop
                    action: drop
            """;

    private static String rule(String name) {
        return "      - name: " + name + "\n        services: [SSH]\n        action: forward\n";
    }

    private static String withRuleBeforeDrop(String text, String name) {
        return text.replace("      # the catch-all stays last\n", rule(name) + "      # the catch-all stays last\n");
    }

    @Test
    void rulesAddedToTheSamePolicyOnBothSidesBothLand() {
        String head = withRuleBeforeDrop(BASE, "a");
        String workspace = withRuleBeforeDrop(BASE, "b");
        Outcome out = ObjectMerge.merge(BASE, head, workspace);
        assertEquals(new Outcome.Merged(BASE.replace("      # the catch-all stays last\n",
                rule("a") + rule("b") + "      # the catch-all stays last\n")), out);
    }

    @Test
    void differentObjectsChangedOnEachSideKeepEveryOtherLine() {
        String head = BASE.replace("10.0.0.1/32", "10.0.0.2/32");
        String workspace = BASE.replace("action: drop", "action: forward").replace("  - name: db\n    prefixes: [10.0.1.0/24]\n", "");
        assertEquals(new Outcome.Merged(workspace.replace("10.0.0.1/32", "10.0.0.2/32")), ObjectMerge.merge(BASE, head, workspace));
    }

    @Test
    void theSameObjectChangedDifferentlyIsAConflictNamingIt() {
        String head = BASE.replace("services: [HTTP]", "services: [HTTPS]");
        String workspace = BASE.replace("services: [HTTP]", "services: [DNS]").replace("10.0.0.1/32", "10.0.0.9/32");
        assertEquals(new Outcome.Conflicts(List.of("rule 'r1' in policy 'p'")), ObjectMerge.merge(BASE, head, workspace));
        // deleting what the other side edited is a conflict too
        String deleted = BASE.replace("  - name: db\n    prefixes: [10.0.1.0/24]\n", "");
        assertEquals(new Outcome.Conflicts(List.of("group 'db'")),
                ObjectMerge.merge(BASE, BASE.replace("10.0.1.0/24", "10.0.2.0/24"), deleted));
        // the same change on both sides is no conflict
        assertEquals(new Outcome.Merged(head), ObjectMerge.merge(BASE, head, head));
    }

    @Test
    void reorderingRulesMergesOnlyWhenTheOtherSideLeftThePolicyAlone() {
        String reordered = BASE.replace("""
                      - name: r1
                        services: [HTTP]
                        action: forward
                      # the catch-all stays last
                      - name: drop
                        action: drop
                """, """
                      - name: drop
                        action: drop
                      - name: r1
                        services: [HTTP]
                        action: forward
                """);
        String otherGroup = BASE.replace("10.0.1.0/24", "10.0.2.0/24");
        assertEquals(new Outcome.Merged(reordered.replace("10.0.1.0/24", "10.0.2.0/24")), ObjectMerge.merge(BASE, otherGroup, reordered));
        assertEquals(new Outcome.Conflicts(List.of("the order of the rules of policy 'p'")),
                ObjectMerge.merge(BASE, withRuleBeforeDrop(BASE, "a"), reordered));
    }
}
