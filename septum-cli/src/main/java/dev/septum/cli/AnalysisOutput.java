package dev.septum.cli;

import dev.septum.verify.analysis.Analysis;
import dev.septum.verify.analysis.BadParameter;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The analysis commands' common ends: a parameter the analysis refuses is a usage error on its
 * option, and the answer prints as a table ({@link AnalysisText}) or as the JSON shape the server's
 * analysis routes answer with.
 */
final class AnalysisOutput {
    private AnalysisOutput() {
    }

    static Analysis run(CommandLine command, Supplier<Analysis> analysis) {
        try {
            return analysis.get();
        } catch (BadParameter e) {
            throw new ParameterException(command, "--" + e.parameter() + " " + e.problem() + "; " + e.fix());
        }
    }

    static void print(CommandLine command, OutputOption output, Analysis analysis) {
        PrintWriter out = command.getOut();
        if (output.json()) {
            out.println(DiagnosticPrinter.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(analysis.tree()));
        } else {
            AnalysisText.print(out, analysis);
        }
        out.flush();
    }

    /** An option's value for the analysis when the user gave it: defaults are the analysis' own. */
    static Optional<String> given(CommandSpec spec, String option, Object value) {
        return spec.commandLine().getParseResult().hasMatchedOption(option) ? Optional.of(String.valueOf(value)) : Optional.empty();
    }
}
