package dev.septum.server.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.server.workflow.PendingChanges.Change;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PendingChangesTest {
    private static final String GROUPS = "groups:\n  - name: a\n    prefixes: [10.0.0.1]\n  - name: b\n    prefixes: [10.0.0.2]\n";

    private static String policy(String... rules) {
        StringBuilder text = new StringBuilder("policies:\n  - name: p\n    domain: d\n    rules:\n");
        for (String r : rules) {
            text.append("      - name: ").append(r).append("\n        action: forward\n");
        }
        return text.toString();
    }

    private static SortedMap<String, String> files(String groups, String policies) {
        SortedMap<String, String> files = new TreeMap<>();
        files.put("objects.yaml", groups);
        files.put("policies.yaml", policies);
        return files;
    }

    @Test
    void aRuleDraggedUpIsOneMoveNotAShiftOfEveryRuleItPassed() {
        var changes = PendingChanges.between(files(GROUPS, policy("r1", "r2", "r3", "r4")), files(GROUPS, policy("r4", "r1", "r2", "r3")));
        assertThat(changes).containsExactly(new Change("rules of p", "r4", "moved"));
    }

    @Test
    void objectsAddedChangedAndRemovedAreNamed() {
        String groups = "groups:\n  - name: a\n    prefixes: [10.0.0.9]\n  - name: c\n    prefixes: [10.0.0.3]\n";
        var changes = PendingChanges.between(files(GROUPS, policy("r1", "r2")), files(groups, policy("r1", "r3")));
        assertThat(changes).containsExactly(new Change("groups", "a", "changed"), new Change("groups", "c", "added"),
                new Change("groups", "b", "removed"), new Change("rules of p", "r3", "added"), new Change("rules of p", "r2", "removed"));
    }
}
