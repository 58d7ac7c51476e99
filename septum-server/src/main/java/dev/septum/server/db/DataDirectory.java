package dev.septum.server.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * The server's data directory is readable by the server's user only: the directory 0700 and every
 * file in it 0600, whatever the umask (the database holds password and token hashes, the flow
 * store who talked to whom). Files created later inherit the protection of the directory.
 */
public final class DataDirectory {
    private DataDirectory() {
    }

    public static void prepare(Path dir) {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("data directory " + dir + " cannot be created or protected: " + e.getMessage()
                    + " (is it owned by another user?)", e);
        }
    }

    /** Creates {@code file} empty with mode 0600 unless it exists. */
    public static void privateFile(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file + ": " + e.getMessage(), e);
        }
    }
}
