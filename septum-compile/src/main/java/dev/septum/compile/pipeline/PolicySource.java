package dev.septum.compile.pipeline;

import dev.septum.model.load.LoadedPolicy;
import dev.septum.model.load.PolicyLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Where a build's intent comes from: a policy directory on disk, or its files held in memory. */
public sealed interface PolicySource {
    /** Names the source in messages: the directory, or e.g. {@code workspace 3}. */
    String label();

    LoadedPolicy load();

    static PolicySource directory(Path dir) {
        return new Directory(dir);
    }

    static PolicySource files(String label, Map<String, String> files) {
        return new Files(label, files);
    }

    record Directory(Path dir) implements PolicySource {
        @Override
        public String label() {
            return dir.toString();
        }

        @Override
        public LoadedPolicy load() {
            return PolicyLoader.loadDirectory(dir);
        }
    }

    /** File name to text, read exactly as the same files in a directory would be. */
    record Files(String label, Map<String, String> files) implements PolicySource {
        public Files {
            files = java.util.Collections.unmodifiableMap(new TreeMap<>(files));
        }

        @Override
        public LoadedPolicy load() {
            return PolicyLoader.loadFiles(label, files);
        }
    }
}
