package dev.septum.server;

import dev.septum.server.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The repository's examples/seed-lab as files, the policy every server test starts from. */
public final class SeedLab {
    public static final Path DIR = Path.of("..", "examples", "seed-lab");

    /** A rule the walkthrough adds: SSH from the management host to appserver1, before the seed's drop. */
    public static final String NEW_GROUP = "  - name: linuxmgmt10\n    prefixes: [10.100.5.10]\n";

    /** The walkthrough's rule, inserted before the seed's catch-all drop. */
    public static final String NEW_RULE = "      - name: mgmt-ssh-to-appserver1\n"
            + "        description: SSH from the management host\n"
            + "        sources: [linuxmgmt10]\n"
            + "        destinations: [appserver1]\n"
            + "        services: [SSH]\n"
            + "        direction: bi\n"
            + "        action: forward\n";

    public static String withNewGroup(String objectsYaml) {
        return objectsYaml.replaceFirst("(?m)^groups:\n", "groups:\n" + java.util.regex.Matcher.quoteReplacement(NEW_GROUP));
    }

    public static String withNewRule(String policiesYaml) {
        return policiesYaml.replaceFirst("(?m)^      - name: drop_all_else_web-app\n",
                java.util.regex.Matcher.quoteReplacement(NEW_RULE) + "      - name: drop_all_else_web-app\n");
    }

    private SeedLab() {
    }

    public static Map<String, String> files() {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(DIR)) {
            for (Path p : list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                files.put(p.getFileName().toString(), Files.readString(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    public static String importBody() {
        return Json.write(Map.of("message", "seed-lab from git", "files", files()));
    }
}
