package dev.septum.cli;

import dev.septum.verify.analysis.RebuiltPolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A proposed policy (stale or expired rules left out) written as a policy directory, for 'septum diff' and review. */
final class ProposalFiles {
    private ProposalFiles() {
    }

    /**
     * Writes {@code proposal} into {@code dir} when one was asked for, and says on {@code err} what
     * it left out, or that there was nothing to leave out ({@code none}); answers the exit code.
     */
    static int write(PrintWriter err, String command, Optional<Path> dir, Optional<RebuiltPolicy> proposal, List<String> leftOut,
                     String none) {
        if (dir.isEmpty()) {
            return ExitCodes.OK;
        }
        if (proposal.isEmpty()) {
            err.println("septum " + command + ": " + none + "; nothing written to " + dir.get());
            err.flush();
            return ExitCodes.OK;
        }
        try {
            Files.createDirectories(dir.get());
            for (Map.Entry<String, String> file : proposal.get().files().entrySet()) {
                Files.writeString(dir.get().resolve(file.getKey()), file.getValue());
            }
        } catch (IOException e) {
            err.println("septum " + command + ": cannot write the proposal to " + dir.get() + ": " + e.getMessage());
            err.flush();
            return ExitCodes.IO;
        }
        err.println("septum " + command + ": wrote the policy without " + String.join(", ", leftOut) + " to " + dir.get());
        err.flush();
        return ExitCodes.OK;
    }
}
