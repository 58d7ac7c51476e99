package dev.septum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The version stored with tagged sessions identifies exactly the files the loader reads. */
class PolicyTaggingTest {
    @TempDir
    Path dir;

    @Test
    void aYmlFileTheLoaderReadsIsPartOfTheVersion() throws IOException {
        Files.writeString(dir.resolve("objects.yaml"), "groups:\n  - name: web\n    prefixes: [10.0.0.1]\n");
        Files.writeString(dir.resolve("extra.yml"), "groups:\n  - name: db\n    prefixes: [10.0.1.0/24]\n");
        String before = PolicyTagging.version(dir);
        Files.writeString(dir.resolve("extra.yml"), "groups:\n  - name: db\n    prefixes: [10.0.2.0/24]\n");
        assertThat(PolicyTagging.version(dir)).isNotEqualTo(before);
    }

    @Test
    void theLabTopologyAndOtherFilesAreNot() throws IOException {
        Files.writeString(dir.resolve("objects.yaml"), "groups: []\n");
        String before = PolicyTagging.version(dir);
        Files.writeString(dir.resolve("lab.yaml"), "hosts: []\n");
        Files.writeString(dir.resolve("notes.txt"), "not policy\n");
        assertThat(PolicyTagging.version(dir)).isEqualTo(before);
    }
}
