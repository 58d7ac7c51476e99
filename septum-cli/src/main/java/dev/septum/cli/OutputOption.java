package dev.septum.cli;

import picocli.CommandLine.Option;

/** {@code -o text|json}, shared by every command that reports: text for people, JSON for scripts. */
final class OutputOption {
    enum Format {
        text, json
    }

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT",
            description = "text or json (default: ${DEFAULT-VALUE})")
    Format format;

    boolean json() {
        return format == Format.json;
    }
}
