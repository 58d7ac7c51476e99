package dev.septum.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.diff.ConfigDiff;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code ConfigDiff.added} gives the lines the unified diff adds (as a multiset: which of two equal
 * lines is called new does not matter to a count), both when the change only adds, where it skips
 * the diff, and when it also removes or changes lines.
 */
class ConfigDiffAddedTest {
    static final List<String> WORDS = List.of("!", "!", "match a", "source x", "actions", "count", "   !", "exit");

    static Map<String, Integer> multiset(List<String> lines) {
        Map<String, Integer> m = new HashMap<>();
        lines.forEach(l -> m.merge(l, 1, Integer::sum));
        return m;
    }

    static List<String> unifiedAdded(String before, String after) {
        return ConfigDiff.unified("d", before, after).stream().filter(l -> l.startsWith("+") && !l.startsWith("+++"))
                .map(l -> l.substring(1)).toList();
    }

    @Test
    void addedLinesAreTheUnifiedDiffsForInsertionsAndForOtherChanges() {
        Random random = new Random(3);
        for (int round = 0; round < 300; round++) {
            List<String> before = new ArrayList<>();
            for (int i = 0; i < 5 + random.nextInt(40); i++) {
                before.add(WORDS.get(random.nextInt(WORDS.size())));
            }
            List<String> after = new ArrayList<>(before);
            for (int i = 0; i < 1 + random.nextInt(20); i++) {
                after.add(random.nextInt(after.size() + 1), WORDS.get(random.nextInt(WORDS.size())));
            }
            if (round % 3 == 0) {
                after.remove(random.nextInt(after.size()));
                after.set(random.nextInt(after.size()), "changed " + round);
            }
            String a = String.join("\n", before) + "\n";
            String b = String.join("\n", after) + "\n";
            assertThat(multiset(ConfigDiff.added("d", a, b))).as(a + "---\n" + b).isEqualTo(multiset(unifiedAdded(a, b)));
        }
        assertThat(ConfigDiff.added("d", "x\n", "x\n")).isEmpty();
    }
}
