package dev.septum.cli;

import picocli.CommandLine.Model.CommandSpec;

/** {@code -o text|json}, shared by every command that reports: text for people, JSON for scripts. */
final class OutputOption {
    enum Format {
        text, json
    }

    Format format;

    void addTo(CommandSpec spec) {
        spec.addOption(CommandModel.option(Format.class, f -> format = f, "-o", "--output").defaultValue("text").paramLabel("FORMAT")
                .description("text or json (default: ${DEFAULT-VALUE})").build());
    }

    boolean json() {
        return format == Format.json;
    }
}
