package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's --help as a newcomer reads it in an 80-column terminal. */
class HelpLayoutTest {
    private static final int WIDTH = 80;

    @Test
    void everyCommandsHelpFitsEightyColumnsAndBreaksOnlyBetweenWords() {
        Map<String, CommandLine> narrow = commands(Main.commandLine(), WIDTH);
        Map<String, CommandLine> wide = commands(Main.commandLine(), 1000);
        assertThat(narrow).hasSizeGreaterThanOrEqualTo(15);

        narrow.forEach((name, command) -> {
            String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
            List<String> examples = examples(command);
            List<String> lines = help.lines().toList();
            assertThat(lines).as("lines of '%s --help' wider than %d columns (examples may be)", name, WIDTH)
                    .filteredOn(l -> l.length() > WIDTH && !examples.contains(l)).isEmpty();
            assertThat(lines).as("examples of '%s --help', each whole on one line", name).containsAll(examples);
            String narrowWords = words(help);
            String wideWords = words(wide.get(name).getUsageMessage(CommandLine.Help.Ansi.OFF));
            int at = firstDifference(narrowWords, wideWords);
            assertThat(at).as("'%s --help' at %d columns breaks inside a word: '...%s...' (one long line: '...%s...')",
                    name, WIDTH, around(narrowWords, at), around(wideWords, at)).isEqualTo(-1);
            for (int i = 1; i < lines.size(); i++) {
                String before = lines.get(i - 1);
                String after = lines.get(i);
                if (!after.isEmpty() && Character.isLowerCase(after.charAt(0))) {
                    String word = after.split(" ")[0];
                    assertThat(before.length() + 1 + word.length()).as("'%s --help': '%s' ends a line early, "
                            + "'%s' would have fit after it", name, before, word).isGreaterThan(WIDTH);
                }
            }
        });
    }

    @Test
    void theTopLevelHelpListsEveryExitCode() {
        String help = Main.commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF);

        for (int code : new int[] {ExitCodes.OK, ExitCodes.POLICY_ERRORS, ExitCodes.USAGE, ExitCodes.IO,
            LabCommand.LAB_FAILED, ServeCommand.START_FAILED, ExitCodes.INTERNAL}) {
            assertThat(help).containsPattern("(?m)^  " + code + " +\\S");
        }
    }

    @Test
    void compileOptionsCannotBeMistakenForEachOther() {
        String help = Main.commandLine().getSubcommands().get("compile").getUsageMessage(CommandLine.Help.Ansi.OFF);

        assertThat(help).contains("--out-dir=DIR", "--platform=PLATFORM", "-o, --output=FORMAT")
                .doesNotContain("--out=").doesNotContain("-f, --format");
    }

    private static Map<String, CommandLine> commands(CommandLine root, int width) {
        root.setUsageHelpAutoWidth(false);
        root.setUsageHelpWidth(width);
        Map<String, CommandLine> out = new TreeMap<>();
        collect(root, "septum", out);
        return out;
    }

    private static void collect(CommandLine command, String name, Map<String, CommandLine> out) {
        out.put(name, command);
        command.getSubcommands().forEach((sub, c) -> collect(c, name + " " + sub, out));
    }

    /** The footer's indented lines: commands to copy and paste. */
    private static List<String> examples(CommandLine command) {
        List<String> out = new ArrayList<>();
        Arrays.stream(command.getCommandSpec().usageMessage().footer())
                .filter(l -> l.startsWith("  ") && !l.isBlank() && !Character.isDigit(l.strip().charAt(0))).forEach(out::add);
        return out;
    }

    private static int firstDifference(String a, String b) {
        for (int i = 0; i < Math.min(a.length(), b.length()); i++) {
            if (a.charAt(i) != b.charAt(i)) {
                return i;
            }
        }
        return a.length() == b.length() ? -1 : Math.min(a.length(), b.length());
    }

    private static String around(String text, int at) {
        return text.substring(Math.max(0, at - 40), Math.min(text.length(), at + 40));
    }

    private static String words(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }
}
