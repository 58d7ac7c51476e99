package dev.septum.cli;

import dev.septum.model.load.PolicyLoader;
import dev.septum.builder.tag.PolicySessionTagger;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import picocli.CommandLine;

/**
 * A policy directory as a session tagger, for {@code collect --policy} (tags stored with each
 * session) and {@code sessions --policy} (tags computed again when reading, e.g. against another
 * version). The version stored with the tags is the directory and a hash of its files, so sessions
 * tagged before and after an edit of the files can be told apart.
 */
final class PolicyTagging {
    private PolicyTagging() {
    }

    /** The tagger, or empty after printing why (policy errors, or no enforcing device). */
    static Optional<PolicySessionTagger> load(Path dir, Optional<String> device, CommandLine command, PrintWriter err) {
        return PolicyGate.valid(PolicyInput.of(dir), command, err)
                .flatMap(build -> PolicySessionTagger.of(build, device, version(dir)).or(() -> {
                    err.println("septum " + command.getCommandName() + ": no enforcing device " + device.map(d -> "named '" + d + "' ").orElse("")
                            + "in " + dir);
                    err.flush();
                    return Optional.empty();
                }));
    }

    /** {@code examples/seed-lab@3f2a9c1d0b7e}: the directory and the first 12 hex digits of SHA-256 over the files the loader reads. */
    static String version(Path dir) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path f : PolicyLoader.policyFiles(dir)) {
                sha.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(Files.readAllBytes(f));
                sha.update((byte) 0);
            }
            return dir.normalize() + "@" + HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
