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
 * {@code ConfigDiff.added} counts the lines the unified diff adds, and they are lines of the new
 * config, both when the change only adds and when it also removes or changes lines; a line the old
 * config never had is always among them.
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
            List<String> added = ConfigDiff.added(a, b);
            assertThat(added).as(a + "---\n" + b).hasSameSizeAs(unifiedAdded(a, b));
            Map<String, Integer> inAfter = multiset(after);
            multiset(added).forEach((line, n) -> assertThat(n).as(line).isLessThanOrEqualTo(inAfter.getOrDefault(line, 0)));
            after.stream().filter(l -> !before.contains(l)).forEach(l -> assertThat(added).contains(l));
        }
        assertThat(ConfigDiff.added("x\n", "x\n")).isEmpty();
    }
}
