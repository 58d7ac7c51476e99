package dev.septum.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * How every command's help is laid out. Picocli breaks text wherever a line-break iterator allows
 * (after a '.', a ':' or a '?'), which splits file names, addresses and URLs. Descriptions and
 * footers are laid out here instead: each description or footer line is a paragraph, wrapped between words
 * only; an indented line (a list entry, an example command) is printed as written, so an example
 * stays on one line, copy-pasteable, however narrow the terminal. The width follows the
 * terminal, 80 columns when there is none.
 */
final class HelpLayout {
    static final int DEFAULT_WIDTH = 80;

    private HelpLayout() {
    }

    static CommandLine apply(CommandLine command) {
        command.setUsageHelpAutoWidth(true);
        command.setUsageHelpWidth(DEFAULT_WIDTH);
        command.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_DESCRIPTION,
                help -> layout(help.commandSpec().usageMessage().description(), help.commandSpec().usageMessage().width()));
        command.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_FOOTER,
                help -> layout(help.commandSpec().usageMessage().footer(), help.commandSpec().usageMessage().width()));
        command.getSubcommands().values().forEach(HelpLayout::apply);
        return command;
    }

    static String layout(String[] lines, int width) {
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            List<String> wrapped = line.startsWith(" ") || line.isEmpty() ? List.of(line) : wrap(line, width);
            wrapped.forEach(l -> out.append(l).append(System.lineSeparator()));
        }
        return out.toString();
    }

    /** Breaks only at spaces; a word longer than the width gets a line of its own. */
    static List<String> wrap(String paragraph, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : paragraph.split(" +")) {
            if (!line.isEmpty() && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }
}
